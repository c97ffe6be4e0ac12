"""The directory service: Users, ConnectIDs, companies, memberships and contact points."""
