namespace Fraud.Streaming.Gbdt;

/// <summary>A row's quantized gradient and hessian, side by side so a histogram update reads one 8-byte word.</summary>
internal struct GradientPair
{
    public int G;
    public int H;
}
