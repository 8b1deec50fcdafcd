/*
 * limitations.c -- where the model and reality differ, as data: the one
 * list the report prints in its "Limitations" section. Each entry is what
 * a reader could otherwise take for a finding of fact. Keep it short and
 * honest; add an entry when a model simplifies something a court or an
 * opponent could question.
 */
#include "brief/brief_int.h"

static const brief_limitation limitations[] = {
    {"Compensation rules are models",
     "Each regime is a formula fitted to a published scheme, contract or precedent; a court, a "
     "regulator or a settlement can depart from it. The expected cost assumes the take-up and "
     "approval rates of the scenario, which are assumptions unless a source is given."},
    {"Claimants are estimated, not counted",
     "Claimant numbers are the affected population times a claim rate (and, for businesses, a "
     "draw around it); they are inputs sized to match reported figures, not observations of who "
     "will claim."},
    {"One fire, not every fire",
     "The 5-95% ranges cover the uncertainty the scenario describes (timings, destroyed share, "
     "restart and rebuild times); they do not cover a different kind of incident, a second "
     "failure during recovery, or errors in the scenario's fixed inputs."},
    {"Recovery is mechanical",
     "A service is back when its racks have power, its restart time has passed and its "
     "prerequisites are up; checks, reconciliation and staged reopening that delay a real "
     "service are not modelled, so some services come back earlier in the model than reported."},
    {"Users are ranked, not followed",
     "Affected users are shares of the population by hour of day; the model does not follow "
     "individuals, and treats users of different services as independent unless the scenario "
     "groups them as disjoint or nested populations."},
    {"Data loss is an upper bound",
     "Data on destroyed equipment with no surviving replica or backup is counted as lost whole; "
     "a copy inside the burning building counts only where the scenario declares it as a "
     "backup, and it burns only if the fire reaches its own racks."},
    {"Hands are unlimited unless crews are declared",
     "Without crews, every restart, rebuild and restore starts as soon as it can; only manual "
     "failovers wait for staff. Where a design declares crews, their number changes only with "
     "the shifts it gives; crews do not tire."},
    {"Design costs are orders of magnitude",
     "The annual cost of each design and the incident probability are assumptions; the "
     "break-even probability is the figure to read, not the net benefit at one probability."},
    {"Currency and dates",
     "Amounts are nominal, in the currency of the scenario, at the incident's date: no inflation, "
     "discounting, interest or tax."},
};

const brief_limitation *osim__brief_limitations(size_t *n)
{
    *n = sizeof(limitations) / sizeof(limitations[0]);
    return limitations;
}
