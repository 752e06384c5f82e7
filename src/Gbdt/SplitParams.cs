namespace Fraud.Streaming.Gbdt;

/// <summary>Constants of one round's split search: the fixed-point scales' inverses and the split limits.</summary>
internal readonly record struct SplitParams(double InvScaleG, double InvScaleH, double Lambda, double MinChildWeight, double MinSplitGain);
