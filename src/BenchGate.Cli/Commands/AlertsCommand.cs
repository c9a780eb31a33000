using System.CommandLine;
using BenchGate.Cli.Rendering;
using BenchGate.Storage;

namespace BenchGate.Cli.Commands;

/// <summary><c>benchgate alerts list|show|mark</c>: the spec's regression_alerts, without writing SQL.</summary>
internal static class AlertsCommand
{
    public static Command Create(CliContext context)
    {
        var list = new Command("list", "List alerts (newest last).");
        var listDb = DatabaseOption.Create(context);
        var status = new Option<string?>("--status") { Description = "only alerts with this status (open, acknowledged, false_positive, fixed)" };
        list.Options.Add(listDb);
        list.Options.Add(status);
        list.SetAction(p => WithAlerts(context, p.GetValue(listDb)!, alerts =>
        {
            context.Terminal.Write(AlertsView.Table(alerts.List(p.GetValue(status))));
            return ExitCodes.Ok;
        }));

        var show = new Command("show", "Show one alert.");
        var showDb = DatabaseOption.Create(context);
        var showId = new Argument<long>("id");
        var showProfile = new Option<bool>("--profile") { Description = "print the latest profile attached to the alert (benchgate profile --alert ID), as markdown" };
        show.Options.Add(showDb);
        show.Options.Add(showProfile);
        show.Arguments.Add(showId);
        show.SetAction(p => CommandErrors.Run(context, () =>
        {
            using var store = ResultStores.Open(p.GetValue(showDb)!, create: false);
            var a = new AlertLog(store).Get(p.GetValue(showId))
                ?? throw new InputException($"no alert with id {p.GetValue(showId)}", input: ResultStores.Describe(p.GetValue(showDb)!));
            var profiles = new ProfileLog(store).ForAlert(a.Id);
            if (p.GetValue(showProfile))
            {
                context.Out.Write(profiles.Count > 0 ? profiles[^1].Markdown
                    : throw new InputException($"alert {a.Id} has no profile attached (benchgate profile --alert {a.Id} … attaches one)", input: ResultStores.Describe(p.GetValue(showDb)!)));
                return ExitCodes.Ok;
            }

            AlertsView.Write(context.Out, a, profiles);
            return ExitCodes.Ok;
        }));

        var mark = new Command("mark", "Set an alert's status; an alert marked false_positive is not raised again for the same benchmark and commits.");
        var markDb = DatabaseOption.Create(context);
        var markId = new Argument<long>("id");
        var newStatus = new Option<string>("--status") { Description = "acknowledged, false_positive, fixed or open", Required = true };
        newStatus.AcceptOnlyFromAmong([.. AlertLog.Statuses]);
        var notes = new Option<string?>("--notes") { Description = "why (kept with the alert)" };
        mark.Options.Add(markDb);
        mark.Arguments.Add(markId);
        mark.Options.Add(newStatus);
        mark.Options.Add(notes);
        mark.SetAction(p => WithAlerts(context, p.GetValue(markDb)!, alerts =>
        {
            var a = alerts.Mark(p.GetValue(markId), p.GetValue(newStatus)!, p.GetValue(notes), DateTimeOffset.UtcNow);
            context.Out.WriteLine($"alert {a.Id} is now {a.Status}{(a.Notes is null ? "" : $": {a.Notes}")}");
            return ExitCodes.Ok;
        }));

        return new Command("alerts", "Regression alerts stored by detect (the spec's regression_alerts).") { list, show, mark };
    }

    private static int WithAlerts(CliContext context, string database, Func<AlertLog, int> action) => CommandErrors.Run(context, () =>
    {
        using var store = ResultStores.Open(database, create: false);
        return action(new AlertLog(store));
    });
}
