/**
 * Is this an Azure virtual machine (or a container on one), where the instance metadata
 * service answers? Asked at construction, so it must be synchronous and must not touch the
 * network (a probe of 169.254.169.254 elsewhere hangs until a timeout):
 *
 * - Linux: Azure sets the SMBIOS chassis asset tag of every VM to
 *   7783-7084-3265-9085-8269-3286-77 (Microsoft Learn, Update Management troubleshooting: "To
 *   verify if a VM is an Azure VM, check for Asset tag value"; cloud-init's Azure datasource
 *   checks the same). /sys/class/dmi/id/chassis_asset_tag is readable without root, also in
 *   containers.
 * - Windows: the Azure VM agent lives in %SystemDrive%\WindowsAzure.
 *
 * Where neither holds (a VM image without the agent, Azure Container Instances),
 * AZURE_LOGS_INGESTION_IMDS_ENDPOINT=http://169.254.169.254 selects the IMDS flow explicitly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';

export const AZURE_ASSET_TAG = '7783-7084-3265-9085-8269-3286-77';
const ASSET_TAG_FILE = '/sys/class/dmi/id/chassis_asset_tag';

/** What the detection reads; a parameter so tests can point it at their own files. */
export interface HostProbe {
  readonly platform: NodeJS.Platform;
  readonly assetTagFile: string;
  readonly systemDrive: string | undefined;
}

const SYSTEM: HostProbe = {
  platform: process.platform,
  assetTagFile: ASSET_TAG_FILE,
  systemDrive: process.env.SystemDrive,
};

let cached: boolean | undefined;

/** Whether the host looks like an Azure VM (see above). Never throws. */
export function detectAzureVm(probe: HostProbe): boolean {
  try {
    if (probe.platform === 'linux') {
      return readFileSync(probe.assetTagFile, 'utf8').trim() === AZURE_ASSET_TAG;
    }
    if (probe.platform === 'win32') {
      return existsSync(join(`${probe.systemDrive ?? 'C:'}${sep}`, 'WindowsAzure'));
    }
  } catch {
    // No DMI data (not a VM, or a sandbox hiding it): not detected.
  }
  return false;
}

/** This process's host, detected once. */
export function onAzureVm(): boolean {
  cached ??= detectAzureVm(SYSTEM);
  return cached;
}
