/* A process that makes no system call between its exec and its death: statically linked, no libc, no dynamic
 * loader, its own _start spinning in functions of its own until it is killed (SIGKILL: no exit_group either). A
 * collector that walks at system calls and at exit has no moment to see it where sched_process_exit comes after
 * exit_mm (5.10, 6.1, 6.12); only a map resolved inside the samples names its frames once it is gone.
 *
 * Usage: spin_nosyscall       spins until killed */

volatile unsigned long spin_nosyscall_sink;

__attribute__((noinline)) void spin_nosyscall_leaf(void)
{
	for (int i = 0; i < 1000; i++)
		spin_nosyscall_sink++;
}

__attribute__((noinline, used, noreturn)) void spin_nosyscall_loop(void)
{
	for (;;)
		spin_nosyscall_leaf();
}

__asm__(".globl _start\n"
	".type _start, @function\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	and $-16, %rsp\n"
	"	call spin_nosyscall_loop\n"
	"	hlt\n"
	".size _start, . - _start\n");
