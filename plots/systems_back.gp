# systems_back.gp -- the curve operators publish ("50% of systems back by
# day 22"): the share of all systems back at each moment, for each topology
# the mean over replications (line) and the band from the 5th to the 95th
# percentile. A system is back when it serves on its own (its dependencies
# are not counted); each service weighs by its number of systems.
# Data: systems_back.dat (columns in its header; time in days).

load 'vars.gp'
figure = 'systems_back'
fig_title = 'Share of systems back over time'
load 'common.gp'

if (!have_series) {
    set label 1 'This run kept no series (series.json): nothing to draw.' at screen 0.5, 0.5 center
    set xrange [0:1]; set yrange [0:1]; unset border; unset tics; unset xlabel
    plot NaN notitle
    exit
}

shown_d = shown_h / 24.
set tmargin at screen top_margin
set bmargin at screen 0.11
set lmargin at screen 0.08
set rmargin at screen 0.96
set xrange [0:shown_d]
set xlabel sprintf('days since ignition (%s %s)', ignition_local, tz)
set yrange [0:1.02]
set ytics ('0%%' 0, '25%%' 0.25, '50%%' 0.5, '75%%' 0.75, '90%%' 0.9, '100%%' 1)
set ylabel 'share of all systems back'
set grid xtics ytics
set style fill transparent solid 0.18 noborder
set key bottom right box opaque

plot for [t = 1:ntop] 'systems_back.dat' using 1:(column(3 * t)):(column(3 * t + 1)) \
         with filledcurves lc rgb color(t) notitle, \
     for [t = 1:ntop] '' using 1:(column(3 * t - 1)) with lines lw 2 lc rgb color(t) \
         dt dash(t) title topology[t].' (mean; band 5-95%)'
