using System.Text;
using Spectre.Console;

namespace GameAnalytics.Cli;

/// <summary>Routes System.CommandLine's help and errors to the same console as everything else.</summary>
internal sealed class AnsiWriter(IAnsiConsole console) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => console.Write(new Text(value.ToString()));

    public override void Write(string? value) => console.Write(new Text(value ?? ""));

    public override void WriteLine(string? value) => console.WriteLine(value ?? "");
}
