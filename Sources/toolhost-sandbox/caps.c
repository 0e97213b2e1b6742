#include "caps.h"

#include "sys.h"

#include <errno.h>
#include <sys/prctl.h>

int caps_drop_all(void)
{
    int r;
    /* The bounding set limits what an exec of a root-owned or file-capability binary could
     * grant. Walk up until the kernel says EINVAL, so capabilities newer than our headers'
     * CAP_LAST_CAP are dropped too. Needs CAP_SETPCAP, hence before capset. */
    for (unsigned long cap = 0;; cap++) {
        if ((r = sys_prctl(PR_CAPBSET_DROP, cap, 0)) < 0) {
            if (r == -EINVAL && cap > CAP_LAST_CAP / 2)
                break;
            return -r;
        }
    }
    if ((r = sys_prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0)) < 0 || (r = sys_capset_zero()) < 0)
        return -r;
    return 0;
}
