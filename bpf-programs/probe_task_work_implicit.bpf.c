// SPDX-License-Identifier: GPL-2.0
/* The task_work deferral probe in 7.x's shape: the program argument is implicit
 * (include/mapsnap_probe_task_work.h). */
#define MAPSNAP_TASK_WORK_SCHEDULE bpf_task_work_schedule_resume
#define MAPSNAP_TASK_WORK_IMPLICIT_AUX
#include "mapsnap_probe_task_work.h"
