# designs.gp -- the designs side by side: what the fire did to each, what
# each is expected to lose per year, and what each costs to run.
# Downtime and user-hours: bar = median over replications, whisker = 5th
# to 95th percentile. Money: expected annual loss (incident probability x
# mean cost of one incident: lost revenue plus compensation) and the
# annual cost of the design, on the same scale so that they compare.
# Data: designs.dat (columns in its header).

load 'vars.gp'
figure = 'designs'
fig_title = 'The designs compared'
load 'common.gp'

stats 'designs.dat' using 8 nooutput
money_max = STATS_max
stats 'designs.dat' using 9 nooutput
money_max = STATS_max > money_max ? STATS_max : money_max
money_max = money_max > 0 ? money_max * 1.15 : 1

set multiplot layout 1, 4 margins 0.06, 0.99, 0.2, top_margin - 0.05 spacing 0.065, 0
set style fill solid 0.85 border -1
set boxwidth 0.7
set xrange [0.4 : ntop + 0.6]
set yrange [0:*]
set grid noxtics ytics
set xtics () rotate by 30 right scale 0 font ',10'
do for [t = 1:ntop] { set xtics add (topology[t] t) }
set key off
set label 3 'Downtime and user-hours: bar = median over replications, whisker = 5th to 95th percentile.   Money in '.money_unit_long.'.' \
    at screen 0.5, screen 0.025 center font ',9' textcolor rgb '#555555'
# Value labels above the bars (the format strings are fixed here).
lbl(y, f) = sprintf(f, y)
small(y) = y == 0 ? '0' : (y < 0.01 ? '<0.01' : (y < 10 ? sprintf('%.2f', y) : sprintf('%.0f', y)))
mill(y) = y == 0 ? '0' : (y < 0.5 ? '<1 M' : sprintf('%.0f M', y))

set label 1 'Mean service downtime' at graph 0.5, graph 1 center offset 0, 1.6 font ',11'
set ylabel 'hours, averaged over the services'
set errorbars 1.5
plot for [t = 1:ntop] 'designs.dat' every ::(t - 1)::(t - 1) using 1:2:3:4:(0.7) \
         with boxerrorbars lc rgb color(t) lw 1.2 notitle, \
     '' using 1:4:(lbl($2, '%.1f h')) with labels offset 0, 0.8 font ',9' notitle

unset label 901
unset label 902
unset label 3
set label 1 'User-hours lost' at graph 0.5, graph 1 center offset 0, 1.6 font ',11'
set ylabel 'millions of hours (a person counts once)'
plot for [t = 1:ntop] 'designs.dat' every ::(t - 1)::(t - 1) using 1:5:6:7:(0.7) \
         with boxerrorbars lc rgb color(t) lw 1.2 notitle, \
     '' using 1:7:(mill($5)) with labels offset 0, 0.8 font ',9' notitle

set yrange [0:money_max]
set label 1 'Expected annual loss' at graph 0.5, graph 1 center offset 0, 1.6 font ',11'
set label 2 'same scale as the annual cost' at graph 0.5, graph 1 center offset 0, 0.5 \
    font ',9' textcolor rgb '#555555'
set ylabel sprintf('%s per year (%g incidents a year x mean cost)', money_unit, incident_probability)
plot for [t = 1:ntop] 'designs.dat' every ::(t - 1)::(t - 1) using 1:8 with boxes \
         lc rgb color(t) notitle, \
     '' using 1:8:(small($8)) with labels offset 0, 0.8 font ',9' \
         notitle

set label 1 'Annual cost of the design' at graph 0.5, graph 1 center offset 0, 1.6 font ',11'
unset label 2
set ylabel money_unit.' per year'
plot for [t = 1:ntop] 'designs.dat' every ::(t - 1)::(t - 1) using 1:9 with boxes \
         lc rgb color(t) notitle, \
     '' using 1:9:(small($9)) with labels offset 0, 0.8 font ',9' notitle
unset multiplot
