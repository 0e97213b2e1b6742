#ifndef TOOLHOST_CSECCOMP_SHIM_H
#define TOOLHOST_CSECCOMP_SHIM_H
#include <seccomp.h>
#endif
