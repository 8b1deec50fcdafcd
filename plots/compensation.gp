# compensation.gp -- what each compensation policy would cost, per design:
# the median over replications (dot) and the 90% interval from the 5th to
# the 95th percentile (bar), in the figure unit of the scenario's currency
# (vars.gp money_unit: e.g. € million), log scale.
# A policy that pays nothing under a design is drawn as a hollow dot at the
# left edge. Policies marked * are counted in the expected annual loss.
# Data: compensation.dat (columns in its header).

load 'vars.gp'
figure = 'compensation'
fig_title = 'Cost of each compensation policy'
fig_h = npol > 6 ? 200 + npol * 62 : 700
load 'common.gp'

if (npol == 0) {
    set label 1 'The scenario has no compensation policies.' at screen 0.5, 0.5 center
    set xrange [0:1]; set yrange [0:1]; unset border; unset tics
    plot NaN notitle
    exit
}

# The smallest positive figure sets the left edge (a log axis has no 0).
lo = comp_min_fig > 0 ? comp_min_fig : 0.01
xmin = 10 ** floor(log10(lo) - 0.3)
zero_at = xmin * 1.25

set tmargin at screen top_margin - 34. / fig_h
set bmargin at screen 92. / fig_h
set lmargin at screen 0.27
set rmargin at screen 0.97
set logscale x
set xrange [xmin:*]
set xlabel money_unit_long.' per incident, log scale: dot = median, bar = 5th to 95th percentile'
set xtics ('0.0001' 1e-4, '0.001' 1e-3, '0.01' 1e-2, '0.1' 0.1, '1' 1, '10' 10, '100' 100, \
           '1,000' 1e3, '10,000' 1e4, '100,000' 1e5, '1,000,000' 1e6)
set mxtics 10
set grid xtics ytics
set yrange [npol + 0.6 : 0.4]
set ytics () scale 0
do for [p = 1:npol] { set ytics add (policy[p].(policy_in_eal[p] ? ' *' : '') p) }
set key at screen 0.62, screen top_margin - 10. / fig_h center center horizontal noopaque \
    nobox samplen 2 width 2 maxrows 1
set label 3 '* counted in the expected annual loss     hollow dot at the left edge: median 0 (pays nothing in at least half the replications)' \
    at screen 0.27, screen 14. / fig_h left font ',9' textcolor rgb '#555555'

# Dodge the topologies within a policy's row.
off(t) = (t - (ntop + 1) / 2.) * 0.7 / ntop
pos(x) = x > 0 ? x : NaN
low(x) = x > 0 ? x : xmin
# Bars first (also for a median of 0 with a positive 95th percentile),
# then filled dots for positive medians, hollow ones for medians of 0.
plot for [t = 1:ntop] 'compensation.dat' using \
         (column(3 * t - 1) > 0 ? column(3 * t - 1) : zero_at):($1 + off(t)): \
         (low(column(3 * t))):(column(3 * t + 1) > 0 ? column(3 * t + 1) : NaN) \
         with xerrorbars ps 0 lw 1.6 lc rgb color(t) notitle, \
     for [t = 1:ntop] 'compensation.dat' using (pos(column(3 * t - 1))):($1 + off(t)) \
         with points pt 7 ps 1.1 lc rgb color(t) title topology[t], \
     for [t = 1:ntop] 'compensation.dat' using (column(3 * t - 1) > 0 ? NaN : zero_at): \
         ($1 + off(t)) with points pt 6 ps 1.3 lw 1.5 lc rgb color(t) notitle
