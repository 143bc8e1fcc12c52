// SPDX-License-Identifier: GPL-2.0
/* The task_work deferral probe with the kfunc's upstream name (include/mapsnap_probe_task_work.h). */
#define MAPSNAP_TASK_WORK_SCHEDULE bpf_task_work_schedule_resume
#include "mapsnap_probe_task_work.h"
