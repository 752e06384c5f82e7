using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Fraud.Streaming.Shared.Cli;

/// <summary>
/// Configuration for the command-line deployables (producer, trainer), read and checked the way the services do it:
/// <c>appsettings.json</c> beside the program, environment variables (<c>Kafka__BootstrapServers</c>), then settings on
/// the command line (<c>--Kafka:BootstrapServers=host:9092</c>), the last one winning; every section a program reads is
/// bound and checked against its DataAnnotations (the services' <c>ValidateDataAnnotations().ValidateOnStart()</c>)
/// before any command runs.
/// </summary>
public static partial class CliConfiguration
{
    /// <summary>
    /// The configuration, and the arguments left for the command parser: a <c>--Section:Key=value</c> argument is a
    /// setting (a section name, a colon, an equals sign); everything else belongs to the command.
    /// </summary>
    public static IConfiguration Build(IReadOnlyList<string> args, out string[] commandArgs)
    {
        var settings = args.Where(a => Setting().IsMatch(a)).ToArray();
        commandArgs = [.. args.Where(a => !Setting().IsMatch(a))];
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(settings)
            .Build();
    }

    /// <summary>A section bound to its options type.</summary>
    public static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }

    /// <summary>What is wrong with the section's settings (its DataAnnotations and <see cref="IValidatableObject"/>), or null.</summary>
    public static string? Problem<T>(IConfiguration configuration, string section) where T : new()
    {
        T options;
        try
        {
            options = Bind<T>(configuration, section);
        }
        catch (InvalidOperationException ex)
        {
            return $"{section}: {ex.Message}";
        }
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options!, new ValidationContext(options!), results, validateAllProperties: true))
        {
            return null;
        }
        return string.Join("; ", results.Select(r => r.ErrorMessage is { } message && message.StartsWith(section + ":", StringComparison.Ordinal)
            ? message
            : r.MemberNames.Any() ? $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}" : $"{section}: {r.ErrorMessage}"));
    }

    [GeneratedRegex(@"^--[A-Za-z][A-Za-z0-9]*(:[A-Za-z0-9_]+)+=")]
    private static partial Regex Setting();
}
