#!/usr/bin/env python3
"""Write the JSON Schemas (draft 2020-12) of outagesim's documents:

  results.schema.json  results.json of `outagesim run --out` and `merge --out`,
                       and stdout of `run --format json` (sim/report/json.c)
  sweep.schema.json    sweep.json of `outagesim sweep --out` and
                       `sensitivity --out` (sim/sweep/sweep_report.c)
  series.schema.json   series.json beside results.json (sim/results/series.c)

The schemas are committed; this script is how they are made, so that the
result document, which sweep.json embeds once per point, is described in one
place. Edit it, run `python3 docs/schemas/gen.py`, and commit both. Every
object the program writes is closed (additionalProperties: false) except the
sweep's "values", whose keys are the swept paths. make test validates real
documents against the installed schemas (tests/install/check.sh).
"""
import json
import os

DRAFT = "https://json-schema.org/draft/2020-12/schema"
HERE = os.path.dirname(os.path.abspath(__file__))

UINT63 = {"type": "integer", "minimum": 0, "maximum": 9223372036854775807}
SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$",
          "description": "SHA-256 (hex) of the scenario's bytes, its includes and the overrides"}
VERSION = {"type": "string", "pattern": r"^[0-9]+\.[0-9]+\.[0-9]+",
           "description": "OSIM_VERSION of the program that wrote the document"}
OVERRIDE = {"type": "string", "pattern": "^[^=]+=", "description": "--set PATH=VALUE as given"}


def obj(props, required=None, desc=None, closed=True):
    o = {"type": "object"}
    if desc:
        o["description"] = desc
    o["properties"] = props
    o["required"] = list(props) if required is None else required
    if closed:
        o["additionalProperties"] = False
    return o


CURRENCY = {"enum": ["KRW", "EUR", "USD", "GBP", "JPY"],
            "description": "ISO 4217 code of every money figure (keys ending in _money):"
            " scenario.currency"}


def arr(items, desc=None, **kw):
    a = {"type": "array"}
    if desc:
        a["description"] = desc
    a["items"] = items
    a.update(kw)
    return a


def ref(name, desc):
    return {"$ref": "#/$defs/" + name, "description": desc}


def stats_def(kind, unit_note):
    t = {"type": "integer"} if kind == "money" else {"type": "number"}
    names = [("mean", "mean"), ("ci95_low", "lower end of the 95% confidence interval of the mean"),
             ("ci95_high", "upper end of the 95% confidence interval of the mean"),
             ("p5", "5th percentile"), ("p50", "median"), ("p95", "95th percentile"),
             ("min", "smallest value"), ("max", "largest value")]
    return obj({k: dict(t, description=f"{d} ({unit_note})") for k, d in names},
               desc="A figure over the replications (type-7 percentiles). " +
               ("Money: whole units of the document's currency, written as integers."
                if kind == "money" else
                "Written with 12 significant digits; the unit is given where the figure is used."))


def s(unit, what):
    """A stats object of a figure in unit (h, users, user-h, businesses, ...)."""
    return ref("stats_money" if unit == "money" else "stats", f"{what} [{unit}]")


def result_defs():
    service = obj({
        "name": {"type": "string", "description": "service name, as in the scenario"},
        "downtime_h": s("h", "hours the service was (partly) unavailable"),
        "recovered_h": s("h", "hours from ignition until the service was fully back"),
        "half_back_h": s("h", "hours from ignition until half its users were served again"),
        "user_hours_lost": s("user-h", "user-hours of this service lost"),
        "data_lost_gb": s("GB", "data lost for good"),
        # Only in a run whose scenario keeps backups (docs/model.md, "Copies").
        "data_restored_h": s("h", "hours from ignition until the service was fully back with "
                             "its data (a restore from a backup can end after recovered_h); "
                             "only when the scenario has backups"),
        "data_lost_replica_gb": s("GB", "of data_lost_gb: the replication lag of a surviving "
                                  "replica; only when the scenario has backups"),
        "data_lost_backup_gb": s("GB", "of data_lost_gb: changes since the newest surviving "
                                 "backup; only when the scenario has backups"),
        "data_lost_no_copy_gb": s("GB", "of data_lost_gb: data whose every copy burned; only "
                                  "when the scenario has backups"),
    }, required=["name", "downtime_h", "recovered_h", "half_back_h", "user_hours_lost",
                 "data_lost_gb"], desc="One service under one topology")
    segment = obj({
        "name": {"type": "string", "description": "small-business segment name"},
        "affected": s("businesses", "businesses of the segment with a loss"),
        "revenue_loss_money": s("money", "revenue lost by the segment"),
        "lost_profit_money": s("money", "profit lost by the segment"),
        "claimants": s("businesses", "businesses of the segment that claim"),
    }, desc="One small-business segment")
    klass = obj({
        "name": {"type": "string", "description": "claimant class, as the model names it"},
        "claimants": s("claimants", "claimants in the class"),
        "amount_money": s("money", "amount paid to the class"),
    }, desc="One claimant class of a compensation policy")
    comp = obj({
        "policy": {"type": "string", "description": "policy name"},
        "model": {"type": "string", "description": "compensation model (registry name)"},
        "legal_basis": {"type": "string", "description": "legal basis as the policy states it ('' if none)"},
        "in_economics": {"type": "boolean",
                         "description": "counted in incident_cost_money and the economics"},
        "converted_from": obj({
            "currency": dict(CURRENCY, description="the currency the policy was written in"),
            "rate": {"type": "number", "exclusiveMinimum": 0,
                     "description": "units of the document's currency per unit of that one"},
        }, desc="Only for a policy written in another currency, whose amounts were converted"
           " when the scenario was loaded (rounded to whole units)"),
        "total_money": s("money", "what the policy costs the operator"),
        "nominal_money": s("money", "face value of what the policy grants"),
        "claimants": s("claimants", "distinct claimants"),
        "classes": arr({"$ref": "#/$defs/comp_class"}, "claimant classes, in the model's order"),
    }, required=["policy", "model", "legal_basis", "in_economics", "total_money", "nominal_money",
                 "claimants", "classes"],
        desc="One compensation policy under one topology")
    money = {"type": "integer", "description": "whole units of the document's currency"}
    money_or_null = {"type": ["integer", "null"],
                   "description": "whole units of the document's currency; null when the baseline"
                   " topology was not run"}
    economics = obj({
        "annual_cost_money": dict(money, description="what the design costs to run per year [money/year]"),
        "mean_incident_cost_money": dict(money, description="mean of incident_cost_money [money]"),
        "expected_annual_loss_money": dict(
            money, description="incident_probability x mean_incident_cost_money [money/year]"),
        "net_annual_benefit_money": dict(
            money_or_null, description="net benefit against the baseline at the scenario's "
            "incident probability [money/year]; 0 for the baseline, null when the baseline was not run"),
        "net_annual_benefit_ci95_low_money": dict(
            money_or_null, description="95% CI of the net benefit, low end [money/year]; null when the baseline was not run"),
        "net_annual_benefit_ci95_high_money": dict(
            money_or_null, description="95% CI of the net benefit, high end [money/year]; null when the baseline was not run"),
        "pays_for_itself": {"type": ["boolean", "null"],
                            "description": "net_annual_benefit_money > 0; null when the baseline was not run"},
        "pays_when": {"enum": ["above", "below", "always", "never", None],
                      "description": "for which annual incident probabilities the design pays for "
                      "itself against the baseline; null for the baseline itself or when it was not run"},
        "break_even_probability": {"type": ["number", "null"], "minimum": 0, "maximum": 1,
                                   "description": "annual incident probability [1/year] where the "
                                   "net benefit is zero, for pays_when above or below; else null"},
    }, desc="The economics of redundancy of one topology against the baseline")
    topology = obj({
        "name": {"type": "string", "description": "topology (design) name"},
        "services": arr({"$ref": "#/$defs/service"}, "every service, in scenario order"),
        "full_recovery_h": s("h", "hours from ignition until every service was back"),
        "systems_50_h": s("h", "hours from ignition from which at least 50% of all systems "
                          "stay back (0 if never below, the horizon if never)"),
        "systems_90_h": s("h", "the same for 90% of systems"),
        "systems_100_h": s("h", "the same for every system"),
        "users": obj({
            "peak_affected": s("users", "most users affected at once"),
            "user_hours_lost": s("user-h", "user-hours lost over all services"),
            "distinct_affected": s("users", "distinct users affected at some time"),
        }, desc="Users over all services"),
        "small_business": obj({
            "affected": s("businesses", "businesses with a loss"),
            "revenue_loss_money": s("money", "revenue lost"),
            "lost_profit_money": s("money", "profit lost"),
            "claimants": s("businesses", "businesses that claim"),
            "segments": arr({"$ref": "#/$defs/segment"}, "every segment, in scenario order"),
        }, desc="Small businesses, summed over segments"),
        "data_loss": obj({
            "lost_gb": s("GB", "data lost for good"),
            "services_with_loss": s("services", "services that lost data"),
        }),
        "operator": obj({"lost_revenue_money": s("money", "the operator's own lost revenue")}),
        "compensation": arr({"$ref": "#/$defs/compensation"}, "every policy, in scenario order"),
        "compensation_total_money": s("money", "the total compensation of the policies counted in "
                                    "the economics, per replication"),
        "incident_cost_money": s("money", "lost revenue plus the compensation of the policies "
                               "counted in the economics"),
        "economics": {"$ref": "#/$defs/economics"},
    }, desc="Everything about one topology")
    site = obj({
        "name": {"type": "string", "description": "site name"},
        "detection_h": s("h", "hours from ignition to detection"),
        "power_cut_h": s("h", "hours from ignition to the power cut"),
        "restoration_start_h": s("h", "hours from ignition until power restoration starts"),
    }, desc="The fire at one affected site (the same under every topology)")
    result = obj({
        "tool": {"const": "outagesim"},
        "version": VERSION,
        "scenario": obj({
            "name": {"type": "string", "description": "scenario.name"},
            "file": {"type": "string", "description": "the scenario path as given"},
            "sha256": SHA256,
            "overrides": arr(OVERRIDE, "the --set overrides, in order"),
        }),
        "seed": dict(UINT63, description="master seed"),
        "currency": CURRENCY,
        "replications": dict(UINT63, description="replications in the result (to - from)"),
        "from": dict(UINT63, description="first replication index"),
        "to": dict(UINT63, description="one past the last replication index"),
        "interrupted": {"type": "boolean",
                        "description": "stopped early (Ctrl-C): the rows are the completed prefix"},
        "precision": obj({
            "metric": {"type": "string", "description": "the metric of --precision"},
            "rel": {"type": "number", "exclusiveMinimum": 0,
                    "description": "target: 95% CI half-width <= rel x |mean| (fraction)"},
            "achieved": {"type": ["number", "null"],
                         "description": "worst half-width / |mean| over the topologies (fraction); "
                         "null when not finite"},
            "met": {"type": "boolean", "description": "the target was reached"},
        }, desc="Run-length control (--precision); absent when not used"),
        "incident": obj({"sites": arr({"$ref": "#/$defs/site"}, "affected sites, in scenario order")}),
        "economics": obj({
            "incident_probability": {"type": "number", "minimum": 0, "maximum": 1,
                                     "description": "annual probability of such an incident [1/year]"},
            "baseline": {"type": "string", "description": "the topology the others are compared with"},
            "policies": arr({"type": "string"}, "the policies counted in incident_cost_money"),
        }),
        "topologies": arr({"$ref": "#/$defs/topology"}, "the topologies run, in scenario order",
                          minItems=1),
        "sources": arr({"$ref": "#/$defs/source"},
                       "the scenario's sources (scenario.sources and those of its included "
                       "policy files), in order"),
        "provenance": arr({"$ref": "#/$defs/provenance"},
                          "every source and assumption attached to a value of the scenario, "
                          "in file order, then one record per override that annotated nothing"),
    }, required=["tool", "version", "scenario", "seed", "currency", "replications", "from", "to",
                 "interrupted", "incident", "economics", "topologies", "sources", "provenance"],
        desc="The result document of a run (or of a merge of partial runs)")
    text_or_null = {"type": ["string", "null"]}
    source = obj({
        "id": {"type": ["string", "null"], "pattern": "^[^ ,\\[\\]]+$",
               "description": "the id values cite (S1.2); null for an untitled source"},
        "title": {"type": "string"},
        "publisher": text_or_null,
        "date": dict(text_or_null, description="as written in the scenario"),
        "url": text_or_null,
        "note": text_or_null,
    }, desc="One source of the scenario's numbers")
    provenance = obj({
        "path": {"type": "string",
                 "description": "the dotted path of `outagesim params` and --set of what it is "
                                "about: a value, a distribution or a whole item"},
        "kind": {"enum": ["source", "assumption", "set"],
                 "description": "backed by sources; an assumption; or set on the command line "
                                "(the file's annotation no longer holds)"},
        "sources": arr({"type": "string"}, "ids of the sources (kind source), else empty"),
        "reason": dict(text_or_null, description="the assumption's reason (kind assumption)"),
        "note": dict(text_or_null, description="a note; for kind set, the override PATH=VALUE"),
    }, desc="Where one value of the scenario comes from")
    return {
        "source": source,
        "provenance": provenance,
        "result": result,
        "topology": topology,
        "site": site,
        "service": service,
        "segment": segment,
        "compensation": comp,
        "comp_class": klass,
        "economics": economics,
        "stats": stats_def("num", "in the unit of the figure"),
        "stats_money": stats_def("money", "whole units of the currency"),
    }


def results_schema():
    return {
        "$schema": DRAFT,
        "title": "outagesim result document (results.json)",
        "description": "Written by `outagesim run --out DIR` (DIR/results.json), `run --format json`"
        " and `merge --out`. Times in hours since ignition (_h), money in whole units of the currency"
        " named by \"currency\" (keys ending in _money, integers; results with _krw keys, written by"
        " outagesim before currencies, are refused by merge and plot),"
        " other figures with 12 significant digits. Keys appear in a fixed order.",
        "$ref": "#/$defs/result",
        "$defs": result_defs(),
    }


def sweep_schema():
    axis = obj({
        "path": {"type": "string", "description": "the --vary PATH as given ('*' allowed)"},
        "paths": arr({"type": "string"}, "the settable paths it matched", minItems=1),
        "values": arr({"type": "string"}, "the values, as --set would take them", minItems=1),
    }, desc="One --vary axis")
    point = {
        "type": "object",
        "description": "One point of the grid (sweep) or one swing (sensitivity)",
        "properties": {
            "index": {"type": "integer", "minimum": 1, "description": "1-based point number"},
            "label": {"type": "string", "description": "PATH=VALUE, ... (or 'base')"},
            "values": {"type": "object", "additionalProperties": {"type": "string"},
                       "description": "sweep: each axis path and its value at this point"},
            "overrides": arr(OVERRIDE, "sensitivity: the overrides of this swing"),
            "complete": {"const": False,
                         "description": "only in an interrupted sweep, for a point not run yet"
                         " (then result is null; `sweep --resume DIR` runs it)"},
            "result": {"oneOf": [{"$ref": "#/$defs/result"}, {"type": "null"}],
                       "description": "the full result document of the point; null for a point"
                       " an interrupted sweep has not run"},
        },
        "required": ["index", "label", "result"],
        "oneOf": [{"required": ["values"]}, {"required": ["overrides"]}],
        "additionalProperties": False,
    }
    return {
        "$schema": DRAFT,
        "title": "outagesim sweep document (sweep.json)",
        "description": "Written by `outagesim sweep --out DIR` and `outagesim sensitivity --out DIR`"
        " (DIR/sweep.json): the grid and each point's full result document, as results.json.",
        "type": "object",
        "properties": {
            "tool": {"const": "outagesim"},
            "version": VERSION,
            "currency": CURRENCY,
            "sweep": obj({
                "scenario": {"type": "string", "description": "scenario.name"},
                "file": {"type": "string", "description": "the scenario path as given"},
                "sha256": SHA256,
                "overrides": arr(OVERRIDE, "the --set overrides common to every point"),
                "seed": dict(UINT63, description="master seed, the same at every point"),
                "replications": dict(UINT63, description="replications per point"),
                "axes": arr({"$ref": "#/$defs/axis"},
                            "the --vary axes, first slowest (empty for sensitivity)"),
                "points": dict(UINT63, description="number of points"),
            }),
            "interrupted": {"const": True,
                            "description": "only when the sweep was stopped (SIGINT, SIGTERM,"
                            " SIGHUP) before every point ran; sweep.resume beside it lets"
                            " `sweep --resume DIR` run the rest"},
            "complete_points": {"type": "string", "pattern": "^([0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*)?$",
                                "description": "with interrupted: the complete points, 1-based"
                                " ranges such as 1-3,5 (empty: none)"},
            "points": arr({"$ref": "#/$defs/point"}, "the points, in grid order"),
        },
        "required": ["tool", "version", "currency", "sweep", "points"],
        "additionalProperties": False,
        "$defs": dict(result_defs(), axis=axis, point=point),
    }


def series_schema():
    return {
        "$schema": DRAFT,
        "title": "outagesim series description (series.json)",
        "description": "Written beside results.json by `run --out` and `merge --out`: the shape of the"
        " series-*.dat files (the course of the outage over time, integer counts summed over"
        " replications). Written last: its presence says the .dat files are whole.",
        "type": "object",
        "properties": {
            "format": {"const": "outagesim-series"},
            "format_version": {"const": 2},
            "version": VERSION,
            "scenario": {"type": "string", "description": "scenario.name"},
            "sha256": SHA256,
            "seed": dict(UINT63, description="master seed"),
            "currency": CURRENCY,
            "range": {
                "oneOf": [
                    obj({"from": dict(UINT63, description="first replication index"),
                         "to": dict(UINT63, description="one past the last replication index")}),
                    {"type": "null"},
                ],
                "description": "the replications counted; null when not known",
            },
            "replications": arr(UINT63, "replications counted per topology"),
            "time": obj({
                "start_epoch_s": {"type": "integer",
                                  "description": "ignition as Unix time [s, UTC]"},
                "utc_offset_h": {"type": "number", "description": "local time minus UTC [h]"},
                "timezone": {"type": "string", "description": "name of the local time zone"},
                "horizon_h": {"type": "number", "exclusiveMinimum": 0,
                              "description": "simulated time after ignition [h]"},
                "step_h": {"type": "number", "exclusiveMinimum": 0,
                           "description": "width of a time step [h]"},
                "steps": {"type": "integer", "minimum": 1, "description": "number of time steps"},
            }),
            "topologies": arr({"type": "string"}, "the topologies counted (slot = index)"),
            "services": arr({"type": "string"}, "the services, in scenario order"),
            "user_bins": obj({
                "per_decade": {"type": "integer", "minimum": 1,
                               "description": "logarithmic bins of affected users per decade"},
                "bins": {"type": "integer", "minimum": 1, "description": "number of bins"},
            }),
            "loss_bins": obj({
                "per_decade": {"type": "integer", "minimum": 1,
                               "description": "logarithmic bins of loss [money] per decade"},
                "bins": {"type": "integer", "minimum": 1, "description": "number of bins"},
                "unit_per_business": {"type": "integer", "minimum": 1,
                                      "description": "weights are in units of 1/this business"},
            }),
            "unavail_unit": {"type": "integer", "minimum": 1,
                             "description": "unavailability counts are in units of 1/this"},
            "loss_marks_money": arr({"type": "number", "minimum": 0},
                                    "bracket edges of the loss figure [money]"),
            "system_bins": {"type": "integer", "minimum": 1,
                            "description": "series-systems-hist.dat: bin b < this holds a share of "
                            "systems back in [b/this, (b+1)/this), bin this every system back"},
        },
        "required": ["format", "format_version", "version", "scenario", "sha256", "seed", "currency",
                     "range",
                     "replications", "time", "topologies", "services", "user_bins", "loss_bins",
                     "unavail_unit", "loss_marks_money", "system_bins"],
        "additionalProperties": False,
    }


def main():
    for name, schema in (("results", results_schema()), ("sweep", sweep_schema()),
                         ("series", series_schema())):
        with open(os.path.join(HERE, name + ".schema.json"), "w", encoding="utf-8") as f:
            json.dump(schema, f, indent=2, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
