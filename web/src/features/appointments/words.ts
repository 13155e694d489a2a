import type { Appointment } from "./api";

export function providerName(appointment: Appointment): string {
  const provider = appointment.provider;
  return provider ? `Dr ${provider.first_name} ${provider.last_name}` : "Your provider";
}

export function providerSpecialization(appointment: Appointment): string | null {
  return appointment.provider?.specialization ?? null;
}
