#ifndef AIDIGEST_PANEL_IMPL_H
#define AIDIGEST_PANEL_IMPL_H

/* What the panel's files share (summarize/panel*.c); not for others. */

/* The reply every judge must give (JSON Schema), in panel.c. */
extern const char panel_schema_text[];

#endif
