"""The paper the hall prints: documents as data, rendered to QTextDocument, printed or saved as PDF."""
