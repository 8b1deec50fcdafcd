# sweep-line.gp -- one axis of a sweep: the chosen figure against the
# axis' values, one line per topology, with its band (5th-95th percentile
# for a median, 95% CI for a mean). Loaded by the driver sweep-axis-K.gp
# that outagesim writes, which sets: figure, dat, xlabel_text, others_note,
# x_log, x_min, x_max, nx, xval[], xtext[] (and loads sweep-vars.gp:
# topology[], ntop, metric, metric_title, ylabel_text, band_note, subtitle,
# has_band). Data: sweep-axis-K.dat, column 1 = x, then per topology t
# columns 3t-1 (value), 3t (low), 3t+1 (high).

fig_title = metric_title
load 'common.gp'

set lmargin 14
set rmargin 26
set tmargin at screen top_margin
set bmargin 7
set key outside right top vertical Left reverse noopaque samplen 2.5 spacing 1.3
set xlabel xlabel_text
set ylabel ylabel_text
set grid xtics ytics
if (x_log) {
    set logscale x
    set xrange [x_min / 1.15 : x_max * 1.15]
} else {
    if (x_max > x_min) {
        pad = (x_max - x_min) * 0.05
        set xrange [x_min - pad : x_max + pad]
    } else {
        set xrange [x_min - 1 : x_max + 1]
    }
}
set xtics ()
do for [i = 1:nx] { set xtics add (xtext[i] xval[i]) }
# Labels are whole (a distribution's numbers can be long): turned, not cut.
xlen = 0
do for [i = 1:nx] { xlen = strlen(xtext[i]) > xlen ? strlen(xtext[i]) : xlen }
if (xlen * nx > 90) { set xtics rotate by -20 }
set ytics format '%.6g'
set label 903 band_note.(strlen(others_note) > 0 ? '   ·   '.others_note : '') \
    at screen 0.5, screen 0.025 center font ',9' textcolor rgb '#555555'
if (metric eq 'economics.net_annual_benefit_money') {
    set arrow 904 from graph 0, first 0 to graph 1, first 0 nohead lc rgb '#777777' dt 2 lw 1.5
    set label 905 'break-even: above this line the design pays for itself' \
        at graph 0.01, first 0 offset 0, 0.6 font ',9' textcolor rgb '#555555'
}

if (has_band) {
    plot for [t = 1:ntop] dat using 1:(column(3*t)):(column(3*t+1)) \
             with filledcurves lc rgb color(t) fs transparent solid 0.14 noborder notitle, \
         for [t = 1:ntop] dat using 1:(column(3*t-1)) with linespoints \
             lc rgb color(t) dt dash(t) lw 2.2 pt 7 ps 1.1 title topology[t]
} else {
    plot for [t = 1:ntop] dat using 1:(column(3*t-1)) with linespoints \
             lc rgb color(t) dt dash(t) lw 2.2 pt 7 ps 1.1 title topology[t]
}
