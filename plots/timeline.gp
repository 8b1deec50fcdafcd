# timeline.gp -- when each service was down, per topology: one strip per
# service, coloured by the share of replications in which the service was
# down or degraded (availability < 1) at that moment.
# Data: timeline.dat (one block per topology; columns in its header).
# Change `column_shown` to 4 for "completely out" (availability 0), or to
# 5 for the mean unavailability.

load 'vars.gp'
figure = 'timeline'
fig_title = 'When each service was down'
if (!exists("column_shown")) column_shown = 3
row_px = nsvc * ntop <= 24 ? 28 : (nsvc <= 20 ? 15 : 11)   # height of one service strip
fig_h = 210 + ntop * (nsvc * row_px + 34)
fig_h = fig_h < 480 ? 480 : fig_h
time_axis = have_series
midnight_layer = 'front'
load 'common.gp'

if (!have_series) {
    set label 1 'This run kept no series (series.json): nothing to draw.' at screen 0.5, 0.5 center
    set xrange [0:1]; set yrange [0:1]; unset border; unset tics; unset xlabel; unset x2tics
    plot NaN notitle
    exit
}

shown_what = column_shown == 4 ? 'completely out (availability 0)' : \
             column_shown == 5 ? 'mean share of the service unavailable' : \
             'down or degraded (availability < 1)'
set palette defined (0 '#ffffff', 0.001 '#fff3e0', 0.25 '#fdae61', 0.5 '#f46d43', \
                     0.75 '#d73027', 1 '#67000d')
set cbrange [0:1]
set cbtics 0, 0.25 format '%.0f%%' scale 0.5
set cblabel column_shown == 5 ? 'mean unavailability' : \
            'share of replications '.(column_shown == 4 ? 'out' : 'down')
set format cb '%g'
set cbtics ('0%%' 0, '25%%' 0.25, '50%%' 0.5, '75%%' 0.75, '100%%' 1)

set yrange [nsvc + 0.5 : 0.5]
set ytics () scale 0 font ',9'
do for [i = 1:nsvc] { set ytics add (service[i] i) }
set grid noytics
set lmargin at screen 0.17
set rmargin at screen 0.88
# The dates of the top axis sit above the line that names each panel.
set x2tics offset 0, 1.4
set colorbox user origin screen 0.905, screen 0.25 size screen 0.015, screen 0.5

panel_top = top_margin - 20. / fig_h
bottom_reserved = 80. / fig_h
set label 3 'Colour: the share of replications in which the service was '.shown_what. \
    ' at that moment.' at screen 0.5, screen 14. / fig_h center font ',9' textcolor rgb '#444444'
panel_h = (panel_top - bottom_reserved) / ntop
set multiplot
do for [t = 1:ntop] {
    set tmargin at screen panel_top - (t - 1) * panel_h
    set bmargin at screen panel_top - t * panel_h + 26. / fig_h
    set label 1 topology[t] at screen 0.01, graph 1 left offset 0, 0.75 font ',11' \
        textcolor rgb color(t)
    if (!ever_down[t]) {
        set label 2 'no service was down in any replication' at graph 0.5, graph 0.5 center \
            front textcolor rgb '#555555'
    } else {
        if (last_down_h[t] > 0) {
            set label 2 sprintf('some service down in more than 0.5%% of replications until +%g h (%s)', \
                                last_down_h[t], \
                                strftime('%a %d %b %H:%M', t0_local + last_down_h[t] * 3600)) \
                at graph 1, graph 1 right offset 0, 0.75 font ',9' textcolor rgb '#333333'
        } else {
            set label 2 'every service up in more than 99.5% of replications at every moment' \
                at graph 1, graph 1 right offset 0, 0.75 font ',9' textcolor rgb '#333333'
        }
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
        unset label 3
        unset colorbox
    }
    plot 'timeline.dat' index (t - 1) using 1:2:(column(column_shown)) with image notitle
}
unset multiplot
