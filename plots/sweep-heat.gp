# sweep-heat.gp -- the first two axes of a sweep as a heat map, one panel
# per topology, on one colour scale. Loaded by the driver sweep-heatmap.gp
# that outagesim writes, which sets: figure, dat, xlabel_text, ylabel_axis,
# others_note, nx, ny, xtext[], ytext[] (and loads sweep-vars.gp). Data:
# sweep-heatmap.dat, one block per topology (index t-1): i j value.

fig_title = metric_title
cols = ntop > 1 ? 2 : 1
rows = (ntop + cols - 1) / cols
if (!exists("fig_h")) fig_h = 150 + 330 * rows
load 'common.gp'

stats dat using 3 nooutput
zmin = STATS_min
zmax = STATS_max
if (zmax <= zmin) { zmax = zmin + 1 }
set cbrange [zmin:zmax]
set palette defined (0 '#fff7ec', 0.35 '#fdbb84', 0.7 '#e34a33', 1 '#7f0000')
set cbtics format '%.3g'
set cblabel ylabel_text
set xrange [0.5 : nx + 0.5]
set yrange [0.5 : ny + 0.5]
set xtics () scale 0
set ytics () scale 0
do for [i = 1:nx] { set xtics add (xtext[i] i) }
do for [j = 1:ny] { set ytics add (ytext[j] j) }
set xlabel xlabel_text font ',10'
set ylabel ylabel_axis font ',10'
set grid noxtics noytics
set border 0
set key off
set label 903 others_note at screen 0.5, screen 0.02 center font ',9' textcolor rgb '#555555'
lbl(z) = sprintf('%.3g', z)

# Points are labelled whole (x0.5, 30m, "uniform min 5m max 30m"), never
# cut: room on the left for the longest y label, and x labels turned when long.
ylen = 0
do for [j = 1:ny] { ylen = strlen(ytext[j]) > ylen ? strlen(ytext[j]) : ylen }
xlen = 0
do for [i = 1:nx] { xlen = strlen(xtext[i]) > xlen ? strlen(xtext[i]) : xlen }
lm = 0.04 + ylen * 0.0075
lm = lm < 0.1 ? 0.1 : (lm > 0.3 ? 0.3 : lm)
if (xlen * nx > 60 / cols) { set xtics rotate by -20 }
set multiplot layout rows, cols margins lm, 0.9, 0.08, top_margin - 0.02 spacing 0.12, 0.12
do for [t = 1:ntop] {
    # Panels share their axes: the right column repeats no y labels, so
    # long ones cannot run into the colour box beside them.
    if (cols == 1 || t % cols == 1) {
        set ytics () scale 0
        do for [j = 1:ny] { set ytics add (ytext[j] j) }
        set ylabel ylabel_axis font ',10'
    } else {
        unset ytics
        unset ylabel
    }
    set title topology[t] font ',11'
    plot dat index (t - 1) using 1:2:3 with image pixels, \
         '' index (t - 1) using 1:2:(lbl($3)) with labels font ',9' textcolor rgb '#111111'
    unset label 901
    unset label 902
    unset label 903
}
unset multiplot
