# recovery-cdf.gp -- how long until everything was back: for each topology,
# the share of replications in which every service had recovered for good
# (availability 1 from then on) by a given time. The time axis is
# logarithmic, so that minutes and days fit on one figure; the top axis
# gives the local date and time of the same moments.
# Data: recovery-cdf.dat (one block per topology: hours, share).

load 'vars.gp'
figure = 'recovery-cdf'
fig_title = 'Time until every service was back'
load 'common.gp'

xmin = 0.1                       # 6 minutes: faster recoveries are drawn at the left edge
# A topology that is always back within xmin sits on the left edge: say so.
array note[ntop]
do for [t = 1:ntop] {
    stats 'recovery-cdf.dat' index (t - 1) using 1 nooutput
    note[t] = STATS_max <= 0 ? ' (never down)' : \
              (STATS_max < xmin ? ' (always back within 6 minutes)' : '')
}
xmax = have_series ? horizon_h * 1.15 : 24 * 30
set tmargin at screen 1 - 122. / fig_h
set bmargin at screen 0.11
set lmargin at screen 0.08
set rmargin at screen 0.96
set logscale x
set xrange [xmin : xmax]
set xtics ('6 min' 0.1, '15 min' 0.25, '30 min' 0.5, '1 h' 1, '2 h' 2, '6 h' 6, '12 h' 12, \
           '1 day' 24, '2 days' 48, '4 days' 96, '1 week' 168, '2 weeks' 336, '4 weeks' 672)
set mxtics default
set xlabel 'time from ignition to full recovery (log scale; faster than 6 minutes, or never down: left edge)'
set ylabel 'share of replications fully recovered'
set yrange [0:1.02]
set ytics ('0%%' 0, '25%%' 0.25, '50%%' 0.5, '75%%' 0.75, '100%%' 1)
set grid xtics ytics
if (have_series) {
    # Local clock time of the bottom axis' marks from 2 hours on.
    set logscale x2
    set x2range [xmin : xmax]
    set x2tics () scale 0.5 font ',9'
    do for [h in '2 6 12 24 48 96 168 336 672'] {
        if (h + 0 <= horizon_h) {
            set x2tics add (strftime("%a %d %b\n%H:%M", t0_local + (h + 0) * 3600) (h + 0))
        }
    }
    set label 4 sprintf('local time (%s)', tz) at screen 0.01, graph 1 left offset 0, 1.8 \
        font ',9' textcolor rgb '#555555'
    set arrow from horizon_h, graph 0 to horizon_h, graph 1 nohead lw 1.5 lc rgb '#333333' dt 2
    set label 3 sprintf('horizon (%g h): not back within the run', horizon_h) \
        at horizon_h, graph 0.5 center rotate by 90 offset -1, 0 \
        font ',9' textcolor rgb '#333333'
}
set arrow from graph 0, first 0.5 to graph 1, first 0.5 nohead lc rgb '#bbbbbb' dt 2 back
set key top left box opaque samplen 3 spacing 1.2 width 1

clip(x) = x < xmin ? xmin : x
plot for [t = 1:ntop] 'recovery-cdf.dat' index (t - 1) using (clip($1)):2 with steps lw 2.2 \
    dt dash(t) lc rgb color(t) title topology[t].note[t]
