# business-loss.gp -- what the outage cost small businesses.
# Left: the loss of one affected business over the whole outage, as a
# cumulative distribution over all affected businesses (all segments,
# pooled over replications), with the edges of the compensation brackets
# of the scenario's loss_brackets policies (e.g. 300,000 and 500,000).
# Right: the total small-business revenue loss of one incident, as a
# cumulative distribution over replications, in the figure unit of the
# scenario's currency (vars.gp money_unit: e.g. € million).
# Data: loss-per-business.dat, revenue-loss.dat (columns in their headers).

load 'vars.gp'
figure = 'business-loss'
fig_title = 'Small-business losses'
load 'common.gp'

# Which topologies affected businesses, and the range of the per-business
# losses (before any range or log scale is set: stats obeys them).
any_affected = 0
if (have_series) { do for [t = 1:ntop] { if (affected_businesses[t] > 0) { any_affected = 1 } } }
bl_min = 0
bl_max = 0
if (have_series && any_affected) {
    stats 'loss-per-business.dat' using ($1 > 0 ? $1 : NaN) nooutput
    bl_min = STATS_min
    bl_max = STATS_max
}

set multiplot
set tmargin at screen top_margin - 0.03
set bmargin at screen 0.30
set ytics ('0%%' 0, '25%%' 0.25, '50%%' 0.5, '75%%' 0.75, '100%%' 1)
set yrange [0:1.02]
set grid xtics ytics
set logscale x
# The coloured lines under the panels name the topologies: no keys.
unset key

# --- left: loss per affected business
set lmargin at screen 0.07
set rmargin at screen 0.49
set label 1 'Loss of one affected business (whole outage)' at graph 0, graph 1 left \
    offset 0, 1 font ',12'
set xlabel 'loss per business ('.money_name.', log scale)'
set ylabel 'share of affected businesses with at most this loss'
set xtics ('100' 1e2, '1,000' 1e3, '10,000' 1e4, '100,000' 1e5, '1,000,000' 1e6, \
           '10 M' 1e7, '100 M' 1e8, '1,000 M' 1e9)
set mxtics 10
if (have_series && !any_affected) {
    do for [t = 1:ntop] {
        set label 200 + t business_line[t] at screen 0.07, screen 0.17 - (t - 1) * 0.032 \
            left font ',10' textcolor rgb color(t)
    }
    set label 2 'no business was affected in any replication' at graph 0.5, graph 0.5 center
    set xrange [100:1e6]
    plot NaN notitle
    do for [t = 1:ntop] { unset label 200 + t }
} else { if (have_series) {
    if (bl_max < 30 * bl_min) { set xrange [bl_min / 3 : bl_max * 3] }
    do for [m = 1:nmarks] {
        set arrow 100 + m from mark_money[m], graph 0 to mark_money[m], graph 1 nohead \
            lw 1.5 lc rgb '#444444' dt 2 front
        set label 100 + m value(sprintf('mark_label_%d', m)) at mark_money[m], graph 0.4 \
            center rotate by 90 offset (m % 2 ? -0.8 : 0.9), 0 font ',9' \
            textcolor rgb '#444444' front
    }
    # Below the panels: per topology, how many businesses were affected and
    # what share lost more than each bracket edge (exact, from vars.gp).
    do for [t = 1:ntop] {
        set label 200 + t business_line[t] at screen 0.07, screen 0.17 - (t - 1) * 0.032 \
            left font ',10' textcolor rgb color(t)
    }
    plot for [t = 1:ntop] 'loss-per-business.dat' index (t - 1) using 1:2 with lines lw 2.2 \
        dt dash(t) lc rgb color(t) notitle
    do for [t = 1:ntop] { unset label 200 + t }
} else {
    set label 2 'This run kept no series (series.json).' at graph 0.5, graph 0.5 center
    set xrange [100:1e6]
    plot NaN notitle
} }

# --- right: total revenue loss per incident
unset label 1
unset label 2
unset label 901
unset label 902
do for [m = 1:nmarks] { unset arrow 100 + m; unset label 100 + m }
set lmargin at screen 0.57
set rmargin at screen 0.955
set label 1 'Total small-business revenue loss of one incident' at graph 0, graph 1 left \
    offset 0, 1 font ',12'
set xlabel money_unit_long.', log scale'
set ylabel 'share of replications with at most this loss'
set xtics ('0.001' 1e-3, '0.01' 1e-2, '0.1' 0.1, '1' 1, '10' 10, '100' 100, '1,000' 1e3, \
           '10,000' 1e4, '100,000' 1e5, '1,000,000' 1e6)
if (sb_loss_hi_fig <= 0) {
    set label 2 'no small-business loss in any replication' at graph 0.5, graph 0.5 center
    set xrange [0.1:10]
    plot NaN notitle
} else {
    if (sb_loss_hi_fig < 10 * sb_loss_lo_fig) {
        # Less than a decade: a linear axis says more.
        unset logscale x
        set xtics auto
        set mxtics default
        set format x '%g'
        set xlabel money_unit_long
        pad = sb_loss_hi_fig > sb_loss_lo_fig ? (sb_loss_hi_fig - sb_loss_lo_fig) * 0.1 : \
              sb_loss_hi_fig * 0.2
        set xrange [sb_loss_lo_fig - pad : sb_loss_hi_fig + pad]
    } else {
        set xrange [sb_loss_lo_fig / 1.3 : sb_loss_hi_fig * 1.3]
    }
    plot for [t = 1:ntop] 'revenue-loss.dat' index (t - 1) using ($1 > 0 ? $1 : NaN):2 \
        with steps lw 2.2 dt dash(t) lc rgb color(t) notitle
}

unset multiplot
