/*
 * render_out.h - prints rendered requests for `hookdoctor render`:
 * --as http (an HTTP/1.1 request as it goes on the wire), --as curl (a
 * command a user can run by hand; the token stays the shell variable
 * $HOOKDOCTOR_PROVIDER_TOKEN) and --as json (one array, SPEC.md's shape).
 * Every value passes through redact.c.
 */
#ifndef HD_RENDER_OUT_H
#define HD_RENDER_OUT_H

#include <stdio.h>
#include "analyse.h"
#include "options.h"

void render_out_begin(FILE *out, enum hd_render_as as);
void render_out_request(FILE *out, enum hd_render_as as,
			const struct analysis *a, const struct request *rq);
void render_out_end(FILE *out, enum hd_render_as as);

#endif
