namespace Fraud.Streaming.Trainer; internal static class BenchCommand { public static System.CommandLine.Command Build(TextWriter o, TextWriter e) => new("bench"); }
