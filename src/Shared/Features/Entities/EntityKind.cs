namespace Fraud.Streaming.Shared.Features.Entities;

/// <summary>The entities whose activity and fraud reports are features: merchants, and devices where a transaction has one.</summary>
public enum EntityKind : byte
{
    Merchant = 0,
    Device = 1,
}
