using System.ComponentModel.DataAnnotations;
namespace Fraud.Streaming.Trainer.Metrics;

/// <summary>
/// The <c>Pushgateway</c> configuration section (env: <c>Pushgateway__Url</c>, ...): where the trainer pushes its
/// figures at the end of a run. A scheduled job is gone before Prometheus could scrape it, so it pushes instead.
/// </summary>
internal sealed class PushgatewayOptions : IValidatableObject
{
    public const string Section = "Pushgateway";

    /// <summary>Base URL of the Pushgateway (<c>http://pushgateway:9091</c>); empty means push nothing.</summary>
    public string? Url { get; set; }

    /// <summary>The <c>job</c> label of the pushed series; with the model name it keys the Pushgateway group.</summary>
    public string Job { get; set; } = "fraud-trainer";

    /// <summary>How long one push may take; a push that fails is reported and never fails the run.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Problem() is { } problem)
        {
            yield return new ValidationResult(problem);
        }
    }

    /// <summary>The problem with these settings in one line, or null when they are usable.</summary>
    public string? Problem()
    {
        if (Enabled && !(Uri.TryCreate(Url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            return $"Pushgateway:Url must be an http(s) URL, not '{Url}'";
        }
        if (string.IsNullOrWhiteSpace(Job))
        {
            return "Pushgateway:Job must not be empty";
        }
        return TimeoutSeconds is > 0 and <= 300 ? null : $"Pushgateway:TimeoutSeconds must lie in (0, 300], not {TimeoutSeconds}";
    }
}
