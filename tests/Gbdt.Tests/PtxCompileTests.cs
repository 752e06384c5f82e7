using System.Reflection;
using System.Text.RegularExpressions;
using Fraud.Streaming.Gbdt.Ilgpu;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Fraud.Streaming.Gbdt.Tests;

/// <summary>
/// The CUDA build of every kernel, compiled here to PTX for Hopper (SM 9.0) without a GPU: ILGPU accepts each one, and
/// none holds a double-precision add, subtract or multiply that ptxas may fuse into an FMA (which would round once where
/// the managed backend rounds twice, and change the bits the equivalence rests on).
/// </summary>
public sealed partial class PtxCompileTests
{
    private static readonly Type[] KernelClasses = [typeof(RoundKernels), typeof(PartitionKernels), typeof(HistogramKernels), typeof(SplitKernels), typeof(TreeKernels)];

    [Fact]
    public void Every_kernel_compiles_to_ptx_for_hopper_with_only_explicitly_rounded_float_arithmetic()
    {
        using var context = Context.Create(builder => builder.Cuda());
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);
        var kernels = CudaKernels().ToList();

        // The backend loads each of these once (the partition once per side), so a new kernel cannot escape this test.
        Assert.Equal(typeof(DeviceKernels).GetProperties().Length, kernels.Count);
        var roundedSeen = 0;
        foreach (var kernel in kernels)
        {
            var entry = kernel.GetParameters()[0].ParameterType == typeof(Index1D)
                ? EntryPointDescription.FromImplicitlyGroupedKernel(kernel)
                : EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
            var ptx = ((PTXCompiledKernel)backend.Compile(entry, KernelSpecialization.Empty)).PTXAssembly;

            var fusable = FusableFloatArithmetic().Match(ptx);
            Assert.False(fusable.Success, $"{kernel.DeclaringType!.Name}.{kernel.Name}: '{fusable.Value}' may be fused by ptxas");
            roundedSeen += RoundedFloatArithmetic().Count(ptx);
        }
        Assert.True(roundedSeen > 50, $"only {roundedSeen} rounded double operations: the kernels should do their float work in PTX .rn");
    }

    private static IEnumerable<MethodInfo> CudaKernels()
    {
        foreach (var type in KernelClasses)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (!method.IsGenericMethodDefinition)
                {
                    yield return method;
                }
                else if (method.GetGenericArguments()[0].GetGenericParameterConstraints().Contains(typeof(IRowSide)))
                {
                    yield return method.MakeGenericMethod(typeof(BinSide));
                    yield return method.MakeGenericMethod(typeof(SampledSide));
                }
                else
                {
                    yield return method.MakeGenericMethod(typeof(PtxFloatOps));
                }
            }
        }
    }

    [GeneratedRegex(@"\b(?:add|sub|mul|mad)(?:\.ftz|\.sat)*\.f(?:16|32|64)\b|\bfma\.")]
    private static partial Regex FusableFloatArithmetic();

    [GeneratedRegex(@"\b(?:add|sub|mul)\.rn\.f64\b")]
    private static partial Regex RoundedFloatArithmetic();
}
