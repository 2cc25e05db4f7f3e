/* authref: the reference server of the auth contract. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cmn/log.h"
#include "rs/config.h"
#include "rs/defect.h"
#include "rs/error.h"
#include "rs/server.h"

int
main(int argc, char **argv)
{
    struct rs_config cfg;
    struct rs_server *server = NULL;
    sigset_t stop;
    int sig = 0, rc;

    switch (rs_config_load(&cfg, argc, argv, stdout, stderr)) {
    case RS_CONFIG_EXIT:
        return 0;
    case RS_CONFIG_ERROR:
        return 2;
    case RS_CONFIG_RUN:
        break;
    }
    cmn_log_set_level(cfg.log_level);
#ifdef AUTHREF_DEFECTS
    if (cfg.defect != NULL) {
        if (rs_defect_select(cfg.defect) != 0) {
            fprintf(stderr, "authref: --defect: unknown defect \"%s\" (--defect list)\n",
                    cfg.defect);
            rs_config_cleanup(&cfg);
            return 2;
        }
        cmn_log(CMN_LOG_WARN,
                "defect: planted defect %s is active: this server is broken on "
                "purpose",
                cfg.defect);
    }
#endif

    /* Every thread inherits this mask; the main thread takes the signals
     * with sigwait(), so no handler runs inside the server's threads. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    rc = rs_server_start(&cfg, &server);
    if (rc != 0) {
        fprintf(stderr, "authref: cannot start: %s\n", rs_strerror(rc));
        rs_config_cleanup(&cfg);
        return 1;
    }
    if (cfg.port_file != NULL &&
        rs_server_write_port_file(cfg.port_file, rs_server_port(server)) != 0) {
        fprintf(stderr, "authref: --port-file: cannot write %s\n", cfg.port_file);
        rs_server_stop(server);
        rs_config_cleanup(&cfg);
        return 1;
    }
    sigwait(&stop, &sig);
    cmn_log(CMN_LOG_INFO, "authref: %s received, shutting down",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    rs_server_stop(server);
    rs_config_cleanup(&cfg);
    return 0;
}
