/*
 * outagesim.h -- the whole public API of liboutagesim in one include.
 *
 * Each module has its own header under outagesim/, and each compiles on
 * its own (so their order here is just alphabetical); this one includes
 * them all, for programs that would rather not pick. Build against an installed outagesim with
 *   cc prog.c $(pkg-config --cflags --libs outagesim)
 * and call osim_global_init() once before anything else. The headers
 * include only the C library (the thread pool and the event loops are
 * private), so they compile under a strict -std=c11 too.
 *
 * Typical use (see the headers for units, ownership and thread-safety):
 *   osim_comp_scenario_load()       a scenario file, checked
 *   osim_mc_new(), osim_mc_run()    replications on a pool of threads
 *   osim_mc_take_result()           the statistics and economics
 *   osim_report_*()                 the JSON document, CSV files, tables
 * The installed scenarios are in $(pkg-config --variable=scenariosdir outagesim).
 */
#ifndef OUTAGESIM_H
#define OUTAGESIM_H

#include "outagesim/version.h"

#include "outagesim/atomic_file.h"
#include "outagesim/brief.h"
#include "outagesim/catalogue.h"
#include "outagesim/compensation.h"
#include "outagesim/dist.h"
#include "outagesim/engine.h"
#include "outagesim/error.h"
#include "outagesim/figures.h"
#include "outagesim/impact.h"
#include "outagesim/incident.h"
#include "outagesim/mc.h"
#include "outagesim/money.h"
#include "outagesim/plot.h"
#include "outagesim/replay.h"
#include "outagesim/report.h"
#include "outagesim/resource.h"
#include "outagesim/result.h"
#include "outagesim/risk.h"
#include "outagesim/rng.h"
#include "outagesim/rows.h"
#include "outagesim/scenario.h"
#include "outagesim/schema.h"
#include "outagesim/series.h"
#include "outagesim/stats.h"
#include "outagesim/sweep.h"

#endif
