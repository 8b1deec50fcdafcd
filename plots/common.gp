# common.gp -- what every outagesim figure shares: output, fonts, colours,
# title and subtitle, and the time axis. Each <figure>.gp loads vars.gp,
# sets `figure` (its name), `fig_title`, perhaps `fig_h` (pixels) and
# `time_axis = 1`, then loads this file. Variables you can give on the command line (gnuplot -e):
#   fmt    'png' (default), 'svg' or 'pdf'
#   out    output file (default <figure>.<fmt>)
# Example:  gnuplot -e "fmt='svg'" timeline.gp
#
# vars.gp (written by outagesim) holds every name from the scenario as a
# string that gnuplot takes as plain text. Use those variables as values
# only: never as a macro, with eval, or as a sprintf format.

if (!exists("fmt")) fmt = 'png'
if (!exists("out")) out = figure.'.'.fmt
if (!exists("fig_w")) fig_w = 1200
if (!exists("fig_h")) fig_h = 700

# Text is printed as it is: no enhanced-text markup, so '_' or '^' in a
# name stays a character.
if (fmt eq 'svg') {
    set terminal svg size fig_w, fig_h dynamic noenhanced font 'DejaVu Sans,12' \
        background rgb 'white'
} else {
    if (fmt eq 'pdf') {
        set terminal pdfcairo size (fig_w/100.)in, (fig_h/100.)in noenhanced \
            font 'DejaVu Sans,10'
    } else {
        set terminal pngcairo size fig_w, fig_h noenhanced font 'DejaVu Sans,11' \
            background rgb 'white'
    }
}
set output out
set encoding utf8
set termoption noenhanced

# Topology colours: the Okabe-Ito palette (safe for colour-blind readers),
# in the order of vars.gp's topology[]; dash patterns repeat after eight.
array tcolor[8] = ['#D55E00', '#0072B2', '#009E73', '#CC79A7', \
                   '#E69F00', '#56B4E9', '#000000', '#F0E442']
color(i) = tcolor[(i - 1) % 8 + 1]
dash(i) = (i - 1) / 8 % 5 + 1

set border 3 lc rgb '#555555'
set tics nomirror out
set grid lc rgb '#e6e6e6' lt 1
set key noopaque

# Title and subtitle, in screen coordinates above the plots. Scripts with
# several panels remove them after the first (unset label 901/902).
title_y = 1 - 24. / fig_h
subtitle_y = 1 - 48. / fig_h
set label 901 fig_title at screen 0.5, screen title_y center font ',15'
set label 902 subtitle at screen 0.5, screen subtitle_y center font ',10' \
    textcolor rgb '#444444'
# The top of the plotting area, below the titles (and the dates of a time axis).
top_margin = 1 - ((exists("time_axis") && time_axis) ? 122. : 78.) / fig_h

# The time axis: hours since ignition below, local dates above (one label
# per day, centred on the day; dotted lines at local midnight).
if (exists("time_axis") && time_axis) {
    set xrange [0:shown_h]
    set xtics 0, xtic_h
    set mxtics 2
    set xlabel sprintf('hours since ignition (%s %s)', ignition_local, tz)
    set link x2 via t0_local + x * 3600 inverse (x - t0_local) / 3600.
    day_s = 86400 * date_days
    first_noon = t0_local + first_midnight_h * 3600 - 43200
    if (first_noon < t0_local) { first_noon = first_noon + day_s }
    if (!exists("midnight_layer")) { midnight_layer = 'back' }
    if (shown_h <= 48) {
        # A short span: local clock times every 6 hours, with the weekday.
        six = 21600
        first_six = t0_local - (t0_local % six) + six
        set x2tics first_six, six scale 0 format "%a\n%H:%M" timedate
    } else {
        set x2tics first_noon, day_s scale 0 format "%a\n%d %b" timedate
    }
    do for [d = 0:int(shown_h / 24) + 1] {
        mid_h = first_midnight_h + 24 * d
        if (mid_h > 0 && mid_h < shown_h) {
            if (midnight_layer eq 'front') {
                set arrow from mid_h, graph 0 to mid_h, graph 1 nohead dt 3 \
                    lc rgb '#777777' lw 1 front
            } else {
                set arrow from mid_h, graph 0 to mid_h, graph 1 nohead dt 3 \
                    lc rgb '#999999' lw 1 back
            }
        }
    }
    set grid noxtics nox2tics ytics
}
