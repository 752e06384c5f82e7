using System.CommandLine;

namespace Fraud.Streaming.Shared.Cli;

/// <summary>Runs a parsed command line with the shared exit codes: a parse error is one line per problem and <see cref="ExitCodes.BadUsage"/>.</summary>
public static class CommandLine
{
    public static async Task<int> InvokeAsync(ParseResult parse, TextWriter error, InvocationConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(error);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}");
            }
            return ExitCodes.BadUsage;
        }
        return await parse.InvokeAsync(configuration ?? new InvocationConfiguration());
    }
}
