"""Format modules (settings.FORMAT_MODULE_PATH): Serbian in both scripts writes 1.234.567,89 and
22.11.2026.; English keeps Django's own formats."""
