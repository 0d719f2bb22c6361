"""The figures a brand steers by: volume, response and resolution times, SLA attainment, CSAT."""
