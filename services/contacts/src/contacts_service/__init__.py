"""The contacts service: Each user's contacts: by ConnectID, active/archived, company-managed."""
