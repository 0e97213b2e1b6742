#ifndef TOOLHOST_CARCHIVE_SHIM_H
#define TOOLHOST_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#endif
