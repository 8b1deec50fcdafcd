# exceedance.gp -- the risk of a year, for a catalogue of incidents: for each
# design, the aggregate loss of a year (the operator's cost of every
# incident in it: lost revenue plus the compensation counted in the
# economics) that is reached or exceeded once in T years on average,
# against T. Both axes are logarithmic. The return periods of the risk
# table (10 to 1,000 years) are marked, with the loss there and its 95%
# interval; beyond a tenth of the simulated years the curve rests on fewer
# than ten years of the table (shaded). A year without any incident costs
# nothing and cannot be drawn on a log axis: a curve starts at the return
# period of the first year with a loss: below it, the curves run along the
# bottom edge, marked 0.
# Data: exceedance.dat (one block per design: T, 1/T, AEP, OEP), and
# exceedance-rp.dat (one block per design: T, loss, 95% interval).

load 'vars.gp'
figure = 'exceedance'
fig_title = 'Loss of a year exceeded once in T years (aggregate exceedance curve)'
load 'common.gp'

# Whole numbers with thousands grouped (1,000; 10,000).
grp(v) = v < 1000 ? sprintf('%.0f', v) : grp(floor(v / 1000)).sprintf(',%03.0f', v - 1000 * floor(v / 1000))

set tmargin at screen top_margin
set bmargin at screen 0.12
set lmargin at screen 0.11
set rmargin at screen 0.97

xmin = 1
xmax = risk_years
set logscale x
set xrange [xmin : xmax]
set xtics ('1' 1, '10' 10, '100' 100, '1,000' 1000, '10,000' 10000, '100,000' 100000, \
           '1,000,000' 1000000)
set mxtics 10
set xlabel 'return period T (years, log scale): the loss is reached or exceeded in one year of T on average'

# The loss axis: whole decades around the positive losses, and one more
# decade below, whose bottom edge stands for 0 (years without a loss).
any = risk_hi_fig > 0
ylo = any ? 10 ** (floor(log10(risk_lo_fig)) - 1) : 1
yhi = any ? 10 ** ceil(log10(risk_hi_fig) + 0.05) : 10
set logscale y
set yrange [ylo : yhi]
dec(v) = v < 1 ? gprintf('%g', v) : grp(v)
set ytics () nomirror
do for [e = int(log10(ylo)) + 1 : int(log10(yhi))] { set ytics add (dec(10. ** e) 10. ** e) }
set ytics add ('0' ylo)
set mytics 10
set ylabel sprintf("loss of a year: the operator's lost revenue + counted compensation\n(%s, log scale)", money_unit_long)
set grid xtics ytics mxtics mytics lc rgb '#e4e4e4', lc rgb '#f4f4f4'
set arrow 9 from xmin, ylo * 10 ** 0.5 to xmax, ylo * 10 ** 0.5 nohead lc rgb '#cccccc' dt 4 back
set label 8 'years without any loss (no incident, or none that costs)' at 1.3, ylo \
    left offset 0, 0.7 font ',9' textcolor rgb '#777777'

# Beyond a tenth of the table the estimate is thin: shade it.
set object 1 rectangle from risk_years / 10., graph 0 to xmax, graph 1 \
    fillcolor rgb '#f2f2f2' fillstyle solid 1.0 noborder behind
set label 5 "rough: fewer than\nten simulated\nyears beyond" at risk_years / 10., graph 0.5 \
    left offset 0.8, 0 font ',9' textcolor rgb '#777777'

# The return periods of the table.
array rp[6] = [10, 50, 100, 250, 500, 1000]
do for [j = 1:6] {
    set arrow 100 + j from rp[j], graph 0 to rp[j], graph 1 nohead lc rgb '#9a9a9a' dt 3 back
    set label 100 + j '1 in '.grp(rp[j]) at rp[j], graph 1 center offset 0, 0.7 \
        font ',9' textcolor rgb '#555555'
}

# The catalogue, under the plot.
set label 6 risk_incidents.'; '.grp(risk_years).' simulated years (Poisson arrivals, independent incidents)' at screen 0.10, screen 0.025 left font ',9' textcolor rgb '#444444'
if (!any) {
    set label 7 'no design lost anything in any simulated year' at graph 0.5, graph 0.5 center \
        font ',13' textcolor rgb '#777777'
}

set key at graph 0.02, graph 0.80 left top box opaque samplen 3 spacing 1.25 width 1 \
    font ',10' title 'design: average annual loss' left
pos(x) = x > 0 ? x : NaN
zero(x) = x > 0 ? x : ylo
ttl(t) = risk_any[t] ? topology[t].': '.risk_aal[t].' a year' \
                     : topology[t].': no loss in any simulated year'
plot for [t = 1:ntop] 'exceedance.dat' index (t - 1) using 1:(zero($3)) with lines \
        lw (3.6 - 0.7 * ((t - 1) % 4)) dt dash(t) lc rgb color(t) title ttl(t), \
     for [t = 1:ntop] 'exceedance-rp.dat' index (t - 1) using 1:(pos($2)):(pos($3)):(pos($4)) \
        with yerrorbars pt 7 ps 1.1 lw 1.2 lc rgb color(t) notitle
