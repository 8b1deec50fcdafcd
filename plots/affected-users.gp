# affected-users.gp -- how many distinct people could not use the services
# at each moment, one panel per topology on a common scale: the median over
# replications (line) and the band from the 5th to the 95th percentile.
# A person who uses several services counts once (see impact.h: each
# person's use of a service is taken as independent of the others).
# Data: affected-users.dat (columns in its header).

load 'vars.gp'
figure = 'affected-users'
fig_title = 'People affected at each moment'
fig_h = 190 + ntop * 130
fig_h = fig_h < 480 ? 480 : fig_h
time_axis = have_series
load 'common.gp'

if (!have_series) {
    set label 1 'This run kept no series (series.json): nothing to draw.' at screen 0.5, 0.5 center
    set xrange [0:1]; set yrange [0:1]; unset border; unset tics; unset xlabel; unset x2tics
    plot NaN notitle
    exit
}

M(x) = x / 1e6                                   # users -> millions
# A number of millions of people, readable at any size.
people(m) = m >= 0.95 ? sprintf('%.1f million', m) : \
            (m * 1e6 >= 1000 ? sprintf('%.0f thousand', m * 1e3) : sprintf('%.0f', m * 1e6))
hours(h) = h < 10 ? sprintf('%.1f', h) : sprintf('%.0f', h)
stats 'affected-users.dat' using (M(column(4))) nooutput
ymax = 0
do for [t = 1:ntop] {
    stats 'affected-users.dat' using (M(column(3 * t + 1))) nooutput
    if (STATS_max > ymax) { ymax = STATS_max }
}
ymax = ymax > 0 ? ymax * 1.12 : 1

set lmargin at screen 0.08
set rmargin at screen 0.97
set yrange [0:ymax]
set ytics nomirror
set format y '%g'
set style fill transparent solid 0.25 noborder
set key off
set label 5 'distinct users affected (millions)' at screen 0.015, screen 0.5 center \
    rotate by 90

panel_top = top_margin
bottom_reserved = 64. / fig_h
panel_h = (panel_top - bottom_reserved) / ntop
set multiplot
do for [t = 1:ntop] {
    stats 'affected-users.dat' using 1:(M(column(3 * t - 1))) nooutput
    peak = STATS_max_y
    peak_at = STATS_pos_max_y
    stats 'affected-users.dat' using 1:(M(column(3 * t + 1))) nooutput
    peak95 = STATS_max_y
    set tmargin at screen panel_top - (t - 1) * panel_h - 4. / fig_h
    set bmargin at screen panel_top - t * panel_h + 14. / fig_h
    set label 1 topology[t] at graph 0.995, graph 0.92 right font ',11' textcolor rgb color(t)
    if (peak95 > 0) {
        set label 2 sprintf('highest median: %s at +%s h;  highest 95th percentile: %s', \
                            people(peak), hours(peak_at), people(peak95)) \
            at graph 0.995, graph 0.92 right offset 0, -1.3 font ',9' textcolor rgb '#444444'
    } else {
        set label 2 'nobody affected in 95% of replications at any moment' \
            at graph 0.995, graph 0.92 right offset 0, -1.3 font ',9' textcolor rgb '#444444'
    }
    if (t < ntop) {
        set format x ''
        unset xlabel
    } else {
        set format x '%g'
        set xlabel sprintf('hours since ignition (%s %s)', ignition_local, tz)
    }
    if (t > 1) {
        set format x2 ''
        unset label 901
        unset label 902
        unset label 5
    }
    plot 'affected-users.dat' using 1:(M(column(3 * t))):(M(column(3 * t + 1))) \
             with filledcurves lc rgb color(t) notitle, \
         '' using 1:(M(column(3 * t - 1))) with lines lw 2 lc rgb color(t) notitle
}
unset multiplot
