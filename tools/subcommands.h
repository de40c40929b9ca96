/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The cfgguard authors. */
#ifndef CFGGUARD_SUBCOMMANDS_H
#define CFGGUARD_SUBCOMMANDS_H

extern const char *prog_name;

int load_table_main(int argc, const char *argv[]);
int show_main(int argc, const char *argv[]);
int clear_main(int argc, const char *argv[]);
int mode_main(int argc, const char *argv[]);
int list_main(int argc, const char *argv[]);
int gen_table_main(int argc, const char *argv[]);
int watch_main(int argc, const char *argv[]);
int stats_main(int argc, const char *argv[]);
int check_main(int argc, const char *argv[]);
int apply_main(int argc, const char *argv[]);

#endif /* CFGGUARD_SUBCOMMANDS_H */
