# tornado.gp -- one-at-a-time sensitivity: for each parameter (the largest
# swing at the top) a bar from the base value of the figure to its value
# with the parameter at LOW x, and one to its value at HIGH x. Reads
# tornado-vars.gp (written by outagesim sensitivity: nbars, base,
# lo_factor, hi_factor, pname[], fig_title, subtitle, xlabel_text) and
# tornado.dat (rank, figure at low, figure at high).

load 'tornado-vars.gp'
fig_h = 170 + 34 * (nbars > 4 ? nbars : 4)
load 'common.gp'

set lmargin at screen 0.38
set rmargin at screen 0.95
# The x range: the bars and the base, with a margin (not from 0: swings are
# often small next to the base).
stats 'tornado.dat' using 2 nooutput
xmn = STATS_min < base ? STATS_min : base
xmx = STATS_max > base ? STATS_max : base
stats 'tornado.dat' using 3 nooutput
xmn = STATS_min < xmn ? STATS_min : xmn
xmx = STATS_max > xmx ? STATS_max : xmx
pad = (xmx - xmn) > 0 ? 0.08 * (xmx - xmn) : (base != 0 ? 0.01 * abs(base) : 1)
set xrange [xmn - pad : xmx + pad]
set tmargin at screen top_margin
set bmargin 7
set yrange [nbars + 0.7 : 0.3]
set ytics () scale 0 font ',9'
do for [i = 1:nbars] { set ytics add (pname[i] i) }
set xlabel xlabel_text
set xtics format '%.4g'
set grid xtics noytics
set border 1
set style fill solid 0.85 noborder
set key outside bottom center horizontal samplen 1.5
set arrow 904 from first base, graph 0 to first base, graph 1 nohead lc rgb '#333333' lw 1.5 front
set label 905 sprintf('base %.4g', base) at first base, graph 1 offset 0.5, 0.6 \
    font ',9' textcolor rgb '#333333'
lo(a, b) = a < b ? a : b
hi(a, b) = a < b ? b : a
h = 0.34
plot 'tornado.dat' using (0):1:(lo(base, $2)):(hi(base, $2)):($1 - h):($1) \
         with boxxyerror lc rgb '#0072B2' title sprintf('parameter x%g', lo_factor), \
     '' using (0):1:(lo(base, $3)):(hi(base, $3)):($1):($1 + h) \
         with boxxyerror lc rgb '#D55E00' title sprintf('parameter x%g', hi_factor)
# The values of each swing are in sensitivity.csv (low_value, high_value).
