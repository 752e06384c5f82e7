using ILGPU;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>The training rows on the device, for the row-wise kernels.</summary>
internal readonly struct RowViews(ArrayView<byte> labels, ArrayView<double> margin, ArrayView<double> g, ArrayView<double> h, ArrayView<GradientPair> grad)
{
    public readonly ArrayView<byte> Labels = labels;
    public readonly ArrayView<double> Margin = margin;
    /// <summary>The round's gradient; 0 outside the row sample.</summary>
    public readonly ArrayView<double> G = g;
    /// <summary>The round's hessian; -1 marks a row outside the sample (a sampled row's is ≥ 0).</summary>
    public readonly ArrayView<double> H = h;
    /// <summary>Both quantized, side by side: what the histograms add up.</summary>
    public readonly ArrayView<GradientPair> Grad = grad;

    public int RowCount => Margin.IntLength;
}
