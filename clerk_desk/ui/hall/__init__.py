"""Pages and dialogs of the hall services: 好差评, the consultation desk and 帮办代办, attendance
(docs/hall-services.md)."""
