using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Client;

/// <summary>
/// The package a game adds: <c>dotnet pack</c> makes it, and a netstandard2.1 project in C# 9 (Unity's language) builds
/// against it from a local folder. Unity and Godot cannot be installed here; this compile is the check.
/// </summary>
public sealed class ClientPackageTests
{
    private const string Version = "0.0.0-test";

    [Fact]
    public async Task Dotnet_pack_makes_one_package_that_a_netstandard21_game_compiles_against()
    {
        using var work = new TempDirectory();
        var feed = Path.Combine(work.Path, "feed");
        var pack = await CommandLine.RunAsync(
            new ProcessStartInfo("dotnet", ["pack", Path.Combine(Repository.Root, "GameAnalytics.Client"), "-c", "Release", "-o", feed, $"-p:Version={Version}", "--nologo"]),
            TimeSpan.FromMinutes(5));
        Assert.True(pack.ExitCode == 0, pack.ToString());

        using (var package = ZipFile.OpenRead(Path.Combine(feed, $"GameAnalytics.Client.{Version}.nupkg")))
        {
            var entries = package.Entries.Select(entry => entry.FullName).ToList();
            foreach (var framework in new[] { "netstandard2.1", "net10.0" })
            {
                Assert.Contains($"lib/{framework}/GameAnalytics.Client.dll", entries);
                // The contract types travel inside: a game adds one package.
                Assert.Contains($"lib/{framework}/GameAnalytics.Contracts.dll", entries);
            }

            Assert.Contains("README.md", entries);
            using var nuspecStream = package.Entries.Single(entry => entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
            var nuspec = XDocument.Load(nuspecStream);
            var dependencies = nuspec.Descendants().Where(element => element.Name.LocalName == "dependency").Select(element => (string)element.Attribute("id")!).ToList();
            Assert.Equal(["System.Text.Json"], dependencies);
        }

        var game = Path.Combine(work.Path, "game");
        Directory.CreateDirectory(game);
        await File.WriteAllTextAsync(Path.Combine(game, "Game.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>netstandard2.1</TargetFramework>
                <LangVersion>9.0</LangVersion>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{Path.Combine(work.Path, "packages")}</RestorePackagesPath>
                <RestoreAdditionalProjectSources>{feed}</RestoreAdditionalProjectSources>
                <RestoreFallbackFolders>{GlobalPackagesFolder()}</RestoreFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="GameAnalytics.Client" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(game, "Game.cs"), """
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            using GameAnalytics.Client;

            public sealed class Game : IDisposable
            {
                private readonly GameAnalyticsClient _analytics;

                public Game(string saveFolder)
                {
                    _analytics = new GameAnalyticsClient(new GameAnalyticsClientOptions
                    {
                        CollectorUri = new Uri("https://collector.example.com"),
                        WriteKey = "the-game's-write-key",
                        SpoolDirectory = Path.Combine(saveFolder, "analytics"),
                    });
                    _analytics.Rejected += (_, e) => Console.WriteLine($"{e.Event.EventType} {e.Event.EventId}: {e.Reason}");
                    _analytics.Dropped += (_, e) => Console.WriteLine($"{e.Count} events dropped: {e.Reason}");
                }

                public Guid SlayDragon(string player) =>
                    _analytics.Track("slay_dragon", player, new Dictionary<string, object?> { ["dragon"] = "smaug", ["level"] = 7 });

                public Task SaveAsync() => _analytics.FlushAsync();

                public void Dispose() => _analytics.Dispose();
            }
            """);
        var build = await CommandLine.RunAsync(new ProcessStartInfo("dotnet", ["build", game, "--nologo"]), TimeSpan.FromMinutes(5));
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(File.Exists(Path.Combine(game, "bin", "Debug", "netstandard2.1", "Game.dll")));
    }

    /// <summary>NuGet's global packages folder: System.Text.Json is already there, so the game restores without the network.</summary>
    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
