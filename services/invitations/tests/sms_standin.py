"""The SMS provider stand-in lives in contacts_testing, where the platform's fault tests use it too."""

from contacts_testing.sms_standin import SmsStandIn

__all__ = ["SmsStandIn"]
