namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// FNV-1a over UTF-16 code units. Unlike <see cref="string.GetHashCode()"/> it is the same in every process
/// and on every machine, which per-card state (compared across restarts and between scorer and trainer) needs.
/// </summary>
public static class StableHash
{
    public static int Of(string? value)
    {
        if (value is null)
        {
            return 0;
        }
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash | 1u); // never 0, which means "not seen yet"
    }
}
