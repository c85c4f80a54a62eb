/*
 * cmd.h - the commands (one file each) and what they share: finding the
 * data directory and loading the provider rules.
 */
#ifndef HD_CMD_H
#define HD_CMD_H

#include "options.h"
#include "rules.h"

int cmd_check(const struct options *o);
/* cmd_check() with a reporter of the caller's (copied; NULL: the one
 * o->format names on stdout). `report` runs the checks through it. */
struct reporter;
int cmd_check_with(const struct options *o, const struct reporter *rep);
int cmd_report(const struct options *o);
int cmd_render(const struct options *o);
/* `probe URL`: the network checks HD501-HD511 for one URL (cmd_probe.c). */
int cmd_probe(const struct options *o);
int cmd_checks(const struct options *o);
int cmd_explain(const struct options *o);
int cmd_version(void);

/* The directory that holds sub ("checks", "docs/checks"): HOOKDOCTOR_DATADIR,
 * the binary's directory or its parent, then the installed data directory.
 * Returns malloc'd path or NULL. */
char *datadir_find(const char *sub);

/* Loads the rule files under checks/; prints the error and returns NULL on failure. */
struct rules *cmd_load_rules(void);

/* Opens the input named by the options and validates every hook in it
 * before anything is printed, so bad input never leaves half a report.
 * Returns 0, or 2 after printing a one-line error. */
struct hook_input;
/* Applies every --var to a sample action once, so a bad one is an error
 * before any output. Returns 0, or 2 after printing the error. */
int cmd_validate_vars(const struct options *o);
/* Checks --provider against the rules; 0, or 2 after printing the error. */
int cmd_validate_provider(const struct options *o, const struct rules *r);
int cmd_open_input(const struct options *o, struct hook_input *in);
/* cmd_open_input() when the Devopness API is involved (cmd_api.c): with
 * --pipeline and no --file the hooks are the pipeline's outgoing hooks
 * (or --hook's), and with a token the facts the API checks read are
 * collected into *api (NULL without a token or --pipeline; free with
 * api_facts_free). api may be NULL. Returns 0, or 2 after printing. */
struct api_facts;
int cmd_open_input_api(const struct options *o, struct hook_input *in,
		       struct api_facts **api);
/* `save`: the pipeline's stored outgoing hooks (api->context_hooks),
 * loaded before any output, so that their secrets are known (redact.h)
 * from the first line, and made into group entries that join the body's
 * groups after it (the pipeline-level checks judge the body among them).
 * Returns how many entries *out holds (malloc'd; each entry is taken
 * over by groups_add_entry() or freed with group_entry_free()). */
struct group_entry;
size_t cmd_api_load_context(const struct options *o, const struct rules *r,
			    const struct api_facts *api,
			    struct group_entry **out);
/* `save --pipeline ID --file HOOK` (cmd_save.c). */
int cmd_save(const struct options *o);

#endif
