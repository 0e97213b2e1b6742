#include "landlock.h"

#include "sys.h"

#include <linux/landlock.h>

int exec_restrict(const char *const *paths, int npaths)
{
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_EXECUTE };
    int ruleset = (int)SC3(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (ruleset < 0)
        return ruleset;
    int r = 0;
    for (int i = 0; i < npaths && r == 0; i++) {
        int fd = sys_open(paths[i], O_PATH | O_CLOEXEC, 0);
        if (fd < 0) {
            r = fd;
            break;
        }
        struct landlock_path_beneath_attr rule = { .allowed_access = LANDLOCK_ACCESS_FS_EXECUTE, .parent_fd = fd };
        r = (int)SC4(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
        sys_close(fd);
    }
    if (r == 0)
        r = (int)SC2(SYS_landlock_restrict_self, ruleset, 0);
    sys_close(ruleset);
    return r < 0 ? r : 0;
}
