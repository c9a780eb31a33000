using System.CommandLine;
using BenchGate.Cli.Rendering;
using BenchGate.Storage;

namespace BenchGate.Cli.Commands;

/// <summary><c>benchgate baseline save|list|show|activate|delete|export</c>: the spec's performance_baselines, managed.</summary>
internal static class BaselineCommand
{
    public static Command Create(CliContext context)
    {
        var save = new Command("save", "Save the runs of a commit as a named baseline (copied in first with --from); later ingests never change it.");
        var saveDb = Db(context);
        var saveName = new Argument<string>("name");
        var commit = new Option<string?>("--commit") { Description = "commit whose runs to save (prefix or full hash); default the newest" };
        var from = new Option<string?>("--from") { Description = "copy the runs from this results database (default: the -d database itself)" };
        var branch = new Option<string?>("--branch") { Description = "branch the baseline is for (one active baseline per branch and machine)" };
        var machine = new Option<string?>("--machine") { Description = "machine the baseline is for" };
        var description = new Option<string?>("--description") { Description = "why this baseline" };
        save.Arguments.Add(saveName);
        foreach (var o in new Option[] { saveDb, commit, from, branch, machine, description })
        {
            save.Options.Add(o);
        }

        save.SetAction(p => With(context, p.GetValue(saveDb)!, create: true, s =>
        {
            var b = s.Save(p.GetValue(saveName)!, p.GetValue(commit), p.GetValue(from), p.GetValue(branch), p.GetValue(machine), p.GetValue(description));
            context.Out.WriteLine(Workflows.BaselineText.Saved(b));
            return ExitCodes.Ok;
        }));

        var list = new Command("list", "List saved baselines, including rows inserted by hand.");
        var listDb = Db(context);
        list.Options.Add(listDb);
        list.SetAction(p => With(context, p.GetValue(listDb)!, create: false, s =>
        {
            context.Terminal.Write(BaselinesView.Table(s.List()));
            return ExitCodes.Ok;
        }));

        var show = Named(context, "show", "Show one baseline and its runs.", (s, name) =>
        {
            var b = s.Find(name) ?? throw new Storage.StoreException($"no baseline named '{name}'");
            BaselinesView.Write(context.Out, b);
            return ExitCodes.Ok;
        });

        var activate = Named(context, "activate", "Make this baseline the active one for its branch and machine.", (s, name) =>
        {
            var b = s.Activate(name);
            context.Out.WriteLine($"baseline '{b.Name}' is active for branch {b.Branch ?? "-"}, machine {b.Machine ?? "-"}");
            return ExitCodes.Ok;
        });

        var delete = new Command("delete", "Delete a baseline (its runs stay in the history).");
        var deleteDb = Db(context);
        var deleteName = new Argument<string>("name");
        var yes = new Option<bool>("--yes") { Description = "really delete" };
        delete.Arguments.Add(deleteName);
        delete.Options.Add(deleteDb);
        delete.Options.Add(yes);
        delete.SetAction(p => With(context, p.GetValue(deleteDb)!, create: false, s =>
        {
            if (!p.GetValue(yes))
            {
                throw new InputException($"deleting baseline '{p.GetValue(deleteName)}' needs --yes");
            }

            s.Delete(p.GetValue(deleteName)!);
            context.Out.WriteLine($"deleted baseline '{p.GetValue(deleteName)}'");
            return ExitCodes.Ok;
        }));

        var export = new Command("export", "Write a database holding only this baseline (its runs, rows, samples and row).");
        var exportDb = Db(context);
        var exportName = new Argument<string>("name");
        var output = new Option<string>("--output", "-o") { Description = "the new database file", Required = true };
        export.Arguments.Add(exportName);
        export.Options.Add(exportDb);
        export.Options.Add(output);
        export.SetAction(p => With(context, p.GetValue(exportDb)!, create: false, s =>
        {
            s.Export(p.GetValue(exportName)!, p.GetValue(output)!);
            context.Out.WriteLine($"exported baseline '{p.GetValue(exportName)}' to {p.GetValue(output)}");
            return ExitCodes.Ok;
        }));

        return new Command("baseline", "Saved baselines (the spec's performance_baselines); detect takes --baseline-name.") { save, list, show, activate, delete, export };
    }

    private static Option<string> Db(CliContext context) => DatabaseOption.Create(context, "baseline database");

    private static Command Named(CliContext context, string verb, string description, Func<BaselineStore, string, int> action)
    {
        var command = new Command(verb, description);
        var db = Db(context);
        var name = new Argument<string>("name");
        command.Arguments.Add(name);
        command.Options.Add(db);
        command.SetAction(p => With(context, p.GetValue(db)!, create: false, s => action(s, p.GetValue(name)!)));
        return command;
    }

    private static int With(CliContext context, string database, bool create, Func<BaselineStore, int> action) => CommandErrors.Run(context, () =>
    {
        using var store = ResultStores.Open(database, create);
        return action(new BaselineStore(store));
    });
}
