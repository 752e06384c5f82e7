using System.Globalization;

namespace Fraud.Streaming.DevKafka;

/// <summary>A topic to create at start, written on the command line as <c>NAME:PARTITIONS</c>.</summary>
internal sealed record TopicSpec(string Name, int Partitions)
{
    public static bool TryParse(string text, out TopicSpec? spec, out string error)
    {
        spec = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"'{text}' is not NAME:PARTITIONS";
            return false;
        }

        var name = text[..colon];
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partitions) || partitions < 1)
        {
            error = $"'{text}': partitions must be a positive integer";
            return false;
        }

        if (name.Length > 249 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
        {
            error = $"'{name}' is not a legal Kafka topic name (letters, digits, '.', '_', '-', at most 249)";
            return false;
        }

        spec = new TopicSpec(name, partitions);
        error = "";
        return true;
    }
}
