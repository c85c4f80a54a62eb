/*
 * cmd.h - the commands (one file each) and what they share: finding the
 * data directory and loading the provider rules.
 */
#ifndef HD_CMD_H
#define HD_CMD_H

#include "options.h"
#include "rules.h"

int cmd_check(const struct options *o);
int cmd_render(const struct options *o);
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

#endif
