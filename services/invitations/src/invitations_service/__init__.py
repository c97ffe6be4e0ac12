"""The invitations service: SMS and email invitations: pending list, resend, delete, acceptance."""
