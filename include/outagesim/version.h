/*
 * version.h -- the version recorded in every output. Bump it with any change
 * that can alter results: the contract is that the same scenario, seed and
 * version give byte-identical output.
 */
#ifndef OUTAGESIM_VERSION_H
#define OUTAGESIM_VERSION_H

#define OSIM_VERSION "0.3.0"

#endif
