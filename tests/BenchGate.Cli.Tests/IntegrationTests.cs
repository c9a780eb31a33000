using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BenchGate.Tests.Shared;
using YamlDotNet.RepresentationModel;

namespace BenchGate.Cli.Tests;

/// <summary>The files BenchGate gives llama.cpp: the GitHub Actions workflow and the CTest target.</summary>
public sealed class IntegrationTests
{
    private static YamlMappingNode Yaml(string file)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Fixtures.RepoFile(file))));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlMappingNode Workflow() => Yaml("integration/llama.cpp/.github/workflows/performance-regression.yml");

    private static YamlMappingNode Job() => Yaml("integration/llama.cpp/.github/workflows/performance-regression-job.yml");

    private static YamlNode At(YamlNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => ((YamlMappingNode)n).Children[new YamlScalarNode(key)]);

    private static List<YamlMappingNode> Steps(YamlNode job) => [.. ((YamlSequenceNode)At(job, "steps")).Cast<YamlMappingNode>()];

    private static string Uses(YamlMappingNode s) => s.Children.TryGetValue(new YamlScalarNode("uses"), out var u) ? u.ToString() : "";

    private static string Run(YamlMappingNode s) => s.Children.TryGetValue(new YamlScalarNode("run"), out var r) ? r.ToString() : "";

    [Fact]
    public void The_workflow_has_the_specs_jobs_and_triggers_each_a_call_of_one_job_with_the_specs_steps()
    {
        var root = Workflow();
        var on = (YamlMappingNode)At(root, "on");
        Assert.Equal(["pull_request", "push", "workflow_dispatch"], on.Children.Keys.Select(k => k.ToString()));
        Assert.Equal("master", ((YamlSequenceNode)At(on, "push", "branches"))[0].ToString());
        Assert.Equal("write", At(root, "permissions", "pull-requests").ToString());
        var jobs = (YamlMappingNode)At(root, "jobs");
        Assert.Equal(["performance-cpu", "performance-cuda", "performance-metal"], jobs.Children.Keys.Select(k => k.ToString()));
        Assert.Contains("vars.BENCHGATE_CUDA", At(jobs, "performance-cuda", "if").ToString(), StringComparison.Ordinal);
        Assert.Equal("\"macos-14\"", At(jobs, "performance-metal", "with", "runs-on").ToString());
        Assert.Contains("cuda", At(jobs, "performance-cuda", "with", "runs-on").ToString(), StringComparison.Ordinal);
        Assert.All(jobs.Children.Values, j => Assert.Equal("./.github/workflows/performance-regression-job.yml", At(j, "uses").ToString()));
        Assert.Equal(["-DGGML_NATIVE=OFF", "-DGGML_CUDA=ON", "-DGGML_METAL=ON"], jobs.Children.Values.Select(j => At(j, "with", "cmake-flags").ToString()));
        // The GPU jobs' presets: every layer offloaded, flash attention off and on, two batch sizes.
        Assert.All(["performance-cuda", "performance-metal"], j => Assert.EndsWith("-ngl 99 -fa 0,1 -b 512,2048", At(jobs, j, "with", "bench-args").ToString(), StringComparison.Ordinal));
        var types = ((YamlSequenceNode)At(on, "pull_request", "types")).Select(t => t.ToString()).ToList();
        Assert.Contains("edited", types);
        Assert.Contains("labeled", types);

        // The steps, once, in the called workflow.
        var job = Job();
        Assert.True(((YamlMappingNode)At(job, "on", "workflow_call", "inputs")).Children.ContainsKey(new YamlScalarNode("bench-args")));
        var steps = Steps(At(job, "jobs", "performance"));
        Assert.Contains(steps, s => Uses(s).StartsWith("actions/checkout@", StringComparison.Ordinal));
        Assert.Single(steps, s => Uses(s).StartsWith("benchgate/benchgate@", StringComparison.Ordinal));
        Assert.DoesNotContain(steps, s => Run(s).Contains("dotnet tool install", StringComparison.Ordinal));
        Assert.Contains(steps, s => Uses(s).StartsWith("actions/cache@", StringComparison.Ordinal) && At(s, "with", "path").ToString() == "models");
        Assert.Contains(steps, s => Run(s).Contains("curl", StringComparison.Ordinal) && Run(s).Contains("$MODEL_URL", StringComparison.Ordinal));
        Assert.Contains(steps, s => Run(s).Contains("--target llama-bench", StringComparison.Ordinal));
        Assert.Contains(steps, s => Uses(s).StartsWith("actions/cache/restore@", StringComparison.Ordinal) && At(s, "with", "restore-keys").ToString().Contains("steps.scope.outputs.key", StringComparison.Ordinal));
        Assert.Contains(steps, s => Run(s).Contains("$BACKEND", StringComparison.Ordinal) && Run(s).Contains("$RUNNER_NAME", StringComparison.Ordinal));
        Assert.Contains(steps, s => Uses(s).StartsWith("actions/cache/save@", StringComparison.Ordinal));
        Assert.Contains(steps, s => Run(s).Contains("benchgate ci pr", StringComparison.Ordinal) && At(s, "env", "GITHUB_TOKEN").ToString().Contains("secrets.GITHUB_TOKEN", StringComparison.Ordinal));
        Assert.Contains(steps, s => Run(s).Contains("benchgate ci push", StringComparison.Ordinal));
        Assert.Contains(steps, s => Uses(s).StartsWith("actions/upload-artifact@", StringComparison.Ordinal) && At(s, "if").ToString() == "always()"
            && At(s, "with", "path").ToString().Contains("trend-report.md", StringComparison.Ordinal));
    }

    [Fact]
    public void The_action_installs_benchgate_from_its_own_checkout_cached_per_version_or_from_a_feed()
    {
        var action = Yaml("action.yml");
        Assert.Equal("composite", At(action, "runs", "using").ToString());
        var steps = ((YamlSequenceNode)At(action, "runs", "steps")).Cast<YamlMappingNode>().ToList();
        Assert.Contains(steps, s => Uses(s).StartsWith("actions/setup-dotnet@", StringComparison.Ordinal));
        var cache = Assert.Single(steps, s => Uses(s).StartsWith("actions/cache@", StringComparison.Ordinal));
        Assert.Contains("steps.source.outputs.rev", At(cache, "with", "key").ToString(), StringComparison.Ordinal);
        var pack = Run(Assert.Single(steps, s => Run(s).Contains("dotnet pack", StringComparison.Ordinal)));
        Assert.Contains("$GITHUB_ACTION_PATH/src/BenchGate.Cli", pack, StringComparison.Ordinal);
        var install = Run(Assert.Single(steps, s => Run(s).Contains("dotnet tool install", StringComparison.Ordinal)));
        Assert.Contains("--add-source \"$RUNNER_TEMP/benchgate-packages\"", install, StringComparison.Ordinal);
        Assert.Contains("--version \"$VERSION\"", install, StringComparison.Ordinal);
        // The project's own CI runs the script a contributor runs, and uses the action as llama.cpp does.
        var ci = Yaml(".github/workflows/ci.yml");
        Assert.Contains(Steps(At(ci, "jobs", "ci")), s => Run(s).Contains(".ci/run", StringComparison.Ordinal));
        Assert.Contains(Steps(At(ci, "jobs", "action")), s => Uses(s) == "./");
        Assert.Contains("tags", At(Yaml(".github/workflows/release.yml"), "on", "push").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_benchgate_command_in_the_workflow_parses_with_the_real_command_line_parser()
    {
        var commands = Steps(At(Job(), "jobs", "performance"))
            .Where(s => s.Children.ContainsKey(new YamlScalarNode("run")))
            .SelectMany(s => ShellCommands(At(s, "run").ToString()))
            .Where(c => c.Count > 0 && c[0] == "benchgate")
            .ToList();
        Assert.Equal(2, commands.Count);
        foreach (var command in commands)
        {
            Assert.Empty(Program.ParseErrors([.. command.Skip(1)]));
        }

        // The parser would catch a misspelt option.
        Assert.NotEmpty(Program.ParseErrors(["ci", "pr", "--baseline-datbase", "x.sqlite"]));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".github/benchgate.yaml")]
    public void The_ci_steps_run_by_bash_give_benchgate_arguments_its_parser_takes_with_the_matrix_only_with_a_config(string config)
    {
        using var dir = new TempDir();
        var argv = Path.Combine(dir.Path, "argv");
        var steps = Steps(At(Job(), "jobs", "performance")).Where(s => Run(s).Contains("benchgate ci ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, steps.Count);
        foreach (var step in steps)
        {
            File.Delete(argv);
            // bash runs the step as GitHub does, with benchgate a function that writes down the words it was given.
            var psi = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardError = true, WorkingDirectory = dir.Path };
            psi.Environment["CONFIG"] = config;
            psi.Environment["BENCH_ARGS"] = "-p 512 -n 128 -r 5 -t 4";
            psi.Environment["MODEL_PATH"] = "models/tinyllama.gguf";
            psi.Environment["RESULTS_DB"] = "performance-results.sqlite";
            psi.Environment["BASELINE_DB"] = "performance-baseline.sqlite";
            psi.Environment["CMAKE_FLAGS"] = "-DGGML_NATIVE=OFF";
            using var bash = Process.Start(psi)!;
            bash.StandardInput.Write($"set -e\nbenchgate() {{ printf '%s\\0' \"$@\" > '{argv}'; }}\n{Run(step)}\n");
            bash.StandardInput.Close();
            var stderr = bash.StandardError.ReadToEnd();
            bash.WaitForExit();
            Assert.True(bash.ExitCode == 0, stderr);

            var words = File.ReadAllText(argv).TrimEnd('\0').Split('\0');
            Assert.Empty(Program.ParseErrors(words));
            var options = words.TakeWhile(w => w != "--").ToList();
            Assert.Equal(["-p", "512", "-n", "128", "-r", "5", "-t", "4"], words.Skip(options.Count + 1).Where(w => w is not "-m" and not "models/tinyllama.gguf"));
            Assert.Equal(config.Length == 0, words.Contains("models/tinyllama.gguf"));
            Assert.Equal(config.Length > 0, options.Contains("--config"));
            // The pull request's comment shows the matrix of a config's models; a push stores runs and has no comment.
            Assert.Equal(config.Length > 0 && words[1] == "pr", options.Contains("--matrix"));
        }
    }

    /// <summary>
    /// The commands of a run script, split into words as sh would (quotes, escapes, line continuations), with
    /// expressions and variables replaced by a placeholder word.
    /// </summary>
    internal static List<List<string>> ShellCommands(string script)
    {
        var commands = new List<List<string>>();
        var joined = script.Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (var rawLine in joined.Split('\n'))
        {
            var line = System.Text.RegularExpressions.Regex.Replace(rawLine.Trim(), @"\$\{\{[^}]*\}\}", "X");
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var words = new List<string>();
            var word = new StringBuilder();
            var inWord = false;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (c == '"')
                {
                    inWord = true;
                    for (i++; i < line.Length && line[i] != '"'; i++)
                    {
                        word.Append(line[i] == '\\' && i + 1 < line.Length ? line[++i] : line[i]);
                    }
                }
                else if (c == '\'')
                {
                    inWord = true;
                    for (i++; i < line.Length && line[i] != '\''; i++)
                    {
                        word.Append(line[i]);
                    }
                }
                else if (char.IsWhiteSpace(c))
                {
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        (word, inWord) = (new StringBuilder(), false);
                    }
                }
                else
                {
                    inWord = true;
                    word.Append(c);
                }
            }

            if (inWord)
            {
                words.Add(word.ToString());
            }

            commands.Add([.. words.Select(w => w.StartsWith('$') ? "X" : w)]);
        }

        return commands;
    }

    [Fact]
    public void The_ctest_target_is_listed_under_the_performance_label_with_the_specs_arguments()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("tests"));
        File.Copy(Fixtures.RepoFile("integration/llama.cpp/tests/performance.cmake"), dir.File("tests/performance.cmake"));
        // llama.cpp's llama_test_cmd (tests/CMakeLists.txt), as the project defines it.
        File.WriteAllText(dir.File("tests/CMakeLists.txt"), """
            function(llama_test_cmd target)
                include(CMakeParseArguments)
                set(options)
                set(oneValueArgs NAME LABEL WORKING_DIRECTORY)
                set(multiValueArgs ARGS)
                cmake_parse_arguments(LLAMA_TEST "${options}" "${oneValueArgs}" "${multiValueArgs}" ${ARGN})
                if (NOT DEFINED LLAMA_TEST_LABEL)
                    set(LLAMA_TEST_LABEL "main")
                endif()
                if (NOT DEFINED LLAMA_TEST_WORKING_DIRECTORY)
                    set(LLAMA_TEST_WORKING_DIRECTORY .)
                endif()
                if (DEFINED LLAMA_TEST_NAME)
                    set(TEST_NAME ${LLAMA_TEST_NAME})
                else()
                    set(TEST_NAME ${target})
                endif()
                add_test(NAME ${TEST_NAME} WORKING_DIRECTORY ${LLAMA_TEST_WORKING_DIRECTORY} COMMAND ${target} ${LLAMA_TEST_ARGS})
                set_property(TEST ${TEST_NAME} PROPERTY LABELS ${LLAMA_TEST_LABEL})
            endfunction()
            llama_test_cmd(${CMAKE_COMMAND} NAME test-something-else ARGS --version)
            include(${CMAKE_CURRENT_SOURCE_DIR}/performance.cmake)
            """);
        File.WriteAllText(dir.File("CMakeLists.txt"), """
            cmake_minimum_required(VERSION 3.16)
            project(llama-stand-in NONE)
            set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
            enable_testing()
            add_subdirectory(tests)
            """);
        Run(dir.Path, "cmake", "-S", ".", "-B", "build");
        // ctest shows a test's command only when the program exists: the stand-in takes llama-bench's place.
        StandIn.Create(dir, "build/bin/llama-bench");

        var listed = Run(dir.File("build"), "ctest", "-N", "-L", "performance");
        Assert.Contains("test-performance-regression-cpu", listed, StringComparison.Ordinal);
        Assert.Contains("Total Tests: 1", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("test-performance-regression-cpu", Run(dir.File("build"), "ctest", "-N", "-LE", "performance"), StringComparison.Ordinal);

        var json = JsonDocument.Parse(Run(dir.File("build"), "ctest", "-L", "performance", "--show-only=json-v1"));
        var test = json.RootElement.GetProperty("tests")[0];
        var command = test.GetProperty("command").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.EndsWith("bin/llama-bench", command[0], StringComparison.Ordinal);
        Assert.Equal(["-p", "512", "-n", "128", "-r", "3", "-o", "sql"], command[^8..]);
    }

    private static string Run(string cwd, string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{program} {string.Join(' ', args)}: {stderr}");
        return stdout.Result;
    }
}
