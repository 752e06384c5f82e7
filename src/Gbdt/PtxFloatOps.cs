using ILGPU.Runtime.Cuda;

namespace Fraud.Streaming.Gbdt;

/// <summary>
/// CUDA kernels' arithmetic as inline PTX with the explicit round-to-nearest modifier. ILGPU writes a plain
/// <c>mul.f64</c>/<c>add.f64</c>, which ptxas may fuse into <c>fma</c> (one rounding instead of two): the gradients,
/// quantized sums and gains would then differ from the managed backend's in the last bit. PTX never fuses
/// <c>.rn</c> instructions. Only for kernels compiled for CUDA (inline PTX does not run elsewhere).
/// </summary>
internal readonly struct PtxFloatOps : IFloatOps
{
    public double Add(double a, double b)
    {
        CudaAsm.Emit("add.rn.f64 %0, %1, %2;", out double result, a, b);
        return result;
    }

    public double Sub(double a, double b)
    {
        CudaAsm.Emit("sub.rn.f64 %0, %1, %2;", out double result, a, b);
        return result;
    }

    public double Mul(double a, double b)
    {
        CudaAsm.Emit("mul.rn.f64 %0, %1, %2;", out double result, a, b);
        return result;
    }
}
