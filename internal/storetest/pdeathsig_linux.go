package storetest

import (
	"os/exec"
	"syscall"
)

// dieWithParent kills the store if the test binary dies without running its cleanups
// (a test timeout panics and exits), so no Java process outlives the test run.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
